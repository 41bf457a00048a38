"""The schemas in schemas/ work outside the generator: check-jsonschema and the YAML
language server (what VS Code's YAML extension runs) resolve them from the files alone,
offline, and the vocabularies' JSON Schemas are in step with their YAML files."""

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, real_corpus, run_generator
from generator.model import KINDS
from generator.schemas import vocabulary_schema_files

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
LANGUAGE_SERVER = ROOT / "requirements/node_modules/yaml-language-server/bin/yaml-language-server"
RECORD = "content/exemplars/warrington-family-support-model.yaml"


def misspell_a_theme(text: str) -> str:
    assert "\n  - family-support\n" in text
    return text.replace("\n  - family-support\n", "\n  - family-suport\n", 1)


def test_vocabulary_schemas_are_in_step_with_their_yaml_files():
    wanted = vocabulary_schema_files(real_corpus().schema_set)
    present = {str(p.relative_to(ROOT / "schemas")) for p in (ROOT / "schemas/vocabularies").glob("*.schema.json")}
    assert present == set(wanted), "run `make schemas` and commit the result"
    for path, text in wanted.items():
        assert (ROOT / "schemas" / path).read_text(encoding="utf-8") == text, f"{path}: run `make schemas`"


def test_schemas_command_writes_what_a_vocabulary_change_needs(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    (project / "content").mkdir()
    assert run_generator("--root", str(project), "schemas", "--check").returncode == 0
    themes = project / "schemas/vocabularies/themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8")
        + "  - id: school-meals\n    label: School meals\n    description: Breakfast clubs and free school meals.\n",
        encoding="utf-8",
    )
    (project / "schemas/vocabularies/retired.schema.json").write_text("{}", encoding="utf-8")
    check = run_generator("--root", str(project), "schemas", "--check")
    assert check.returncode == 1
    assert "schemas/vocabularies/themes.schema.json: out of date" in check.stderr
    assert "schemas/vocabularies/retired.schema.json: stale" in check.stderr
    assert run_generator("--root", str(project), "schemas").returncode == 0
    assert "school-meals" in json.loads((project / "schemas/vocabularies/themes.schema.json").read_text())["enum"]
    assert not (project / "schemas/vocabularies/retired.schema.json").exists()
    assert run_generator("--root", str(project), "schemas", "--check").returncode == 0


def test_a_reference_that_leads_nowhere_is_named(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    shutil.copytree(ROOT / "content", project / "content")
    schema = project / "schemas/pack.schema.json"
    schema.write_text(
        schema.read_text().replace('"vocabularies/themes.schema.json"', '"urn:whatworks:vocabulary:themes"')
    )
    result = run_generator("--root", str(project), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert (
        "schemas/pack.schema.json:1:1: $: the reference 'urn:whatworks:vocabulary:themes' leads nowhere"
        in result.stdout
    )


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    assert CHECK_JSONSCHEMA.exists(), "check-jsonschema is a test dependency: make test installs it"
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--no-cache", "--schemafile", str(ROOT / "schemas" / schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_check_jsonschema_accepts_every_shipped_record_with_the_schema_files(kind):
    records = sorted((ROOT / "content" / KINDS[kind].folder).glob("*.yaml"))
    assert records
    result = check_jsonschema(KINDS[kind].schema_file, *records)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_accepts_the_vocabularies_and_rejects_a_misspelt_theme_naming_the_field(tmp_path):
    vocabularies = sorted((ROOT / "schemas/vocabularies").glob("*.yaml"))
    result = check_jsonschema("vocabulary.schema.json", *vocabularies)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(misspell_a_theme((ROOT / RECORD).read_text(encoding="utf-8")), encoding="utf-8")
    result = check_jsonschema("exemplar.schema.json", bad)
    assert result.returncode == 1
    assert "$.themes[0]: 'family-suport' is not one of" in result.stdout


class LanguageServer:
    """The YAML language server over stdio (the Language Server Protocol), as an editor drives it."""

    def __init__(self, root: Path):
        assert shutil.which("node"), "the YAML language server needs Node.js (make test installs it)"
        assert LANGUAGE_SERVER.exists(), "the YAML language server is a test tool: make test installs it with npm ci"
        self.process = subprocess.Popen(
            ["node", str(LANGUAGE_SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
        )
        self.next_id = 0
        # A thread reads the server's messages as they come: more than one can arrive at once.
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.settings = {
            # No schema catalogue from the network: the modeline in each record names its schema.
            "yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}},
        }
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.receive(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream
        while True:
            headers = {}
            while (line := stream.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    return  # the server has stopped
                name, _, value = line.decode("ascii").partition(":")
                headers[name.lower()] = value.strip()
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def receive(self, wanted, timeout: float = 120) -> dict:
        """The next message `wanted` accepts, answering the server's own requests meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError("the YAML language server did not answer in time") from None
            if "method" in message and "id" in message:  # the server asks the editor something
                items = message.get("params", {}).get("items", [])
                answer = [self.settings.get(item.get("section", ""), None) for item in items] if items else None
                self.send({"id": message["id"], "result": answer})
            elif wanted(message):
                return message

    def diagnostics(self, path: Path) -> list[dict]:
        """What the server reports on a file an editor opens."""
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
        )
        message = self.receive(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        )
        return message["params"]["diagnostics"]

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.mark.slow
def test_an_editor_checks_records_against_the_schema_their_first_line_names(tmp_path):
    # The records' first line, `# yaml-language-server: $schema=../../schemas/<kind>.schema.json`,
    # is all the editor is told; the schema's references resolve from the files beside it.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    folder = project / "content/exemplars"
    folder.mkdir(parents=True)
    good = folder / "good.yaml"
    good.write_text((ROOT / RECORD).read_text(encoding="utf-8"), encoding="utf-8")
    bad = folder / "bad.yaml"
    bad.write_text(misspell_a_theme(good.read_text(encoding="utf-8")), encoding="utf-8")
    server = LanguageServer(project)
    try:
        assert server.diagnostics(good) == []
        problems = server.diagnostics(bad)
    finally:
        server.close()
    line = bad.read_text(encoding="utf-8").splitlines().index("  - family-suport")
    assert [(p["range"]["start"]["line"], p["message"].split(".")[0]) for p in problems] == [
        (line, "Value is not accepted")
    ], problems
