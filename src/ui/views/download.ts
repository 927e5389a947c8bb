// Saving a file from the page: an object URL and a click on a temporary link.

export function downloadFile(name: string, data: string | Blob, type = "text/plain;charset=utf-8"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  // The download has started by then; the URL is not needed any more.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
