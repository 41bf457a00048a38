// Run in the page by bench/measure.py: type a query into a search box as one input (as a
// paste would), then wait for the first result to be in the page and visible.
// Returns the milliseconds from the input to the first animation frame that shows the
// result, and the response bodies the page had received by then since it started loading.
async ({ box, result, query }) => {
  const input = document.querySelector(box);
  const shown = () => {
    const first = document.querySelector(result);
    return first !== null && first.checkVisibility();
  };
  const start = performance.now(); console.log("probe " + Math.round(start));
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: query.slice(-1) }));
  await new Promise((resolve, reject) => {
    if (shown()) return resolve();
    const observer = new MutationObserver(() => {
      if (shown()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
    setTimeout(() => reject(new Error(`no result for ${query} after 180 s`)), 180000);
  });
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const end = performance.now();
  const entries = [performance.getEntriesByType("navigation")[0]]
    .concat(performance.getEntriesByType("resource").filter((entry) => entry.responseEnd <= end));
  return {
    ms: end - start,
    sent: entries.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    decoded: entries.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    requests: entries.length,
  };
}
