// Re-render from /alerts with textContent only: alert text never becomes markup.
async function refresh() {
  const response = await fetch("/alerts?limit=50", {credentials: "same-origin"});
  if (!response.ok) return;
  const body = document.querySelector("#alerts tbody");
  const rows = (await response.json()).map(alert => {
    const row = document.createElement("tr");
    const cells = [alert.created_at.slice(0, 19), alert.rule, null,
      alert.deliveries.map(d => d.channel + ": " + d.status).join(", ")];
    cells.forEach((text, index) => {
      const cell = document.createElement("td");
      if (index === 2) {
        if (alert.content.kind === "digest") { cell.textContent = "digest of " + alert.content.count + " alerts"; }
        else if (alert.content.kind === "designation") {
          cell.textContent = alert.content.event + " on " + alert.content.list + ": " + alert.content.name
            + " (" + alert.content.programs.join(", ") + ")"; }
        else { const a = document.createElement("a"); a.href = "/ui/articles/" + encodeURIComponent(alert.content.article_id);
               a.textContent = alert.content.title; cell.appendChild(a); }
      } else { cell.textContent = text; }
      row.appendChild(cell);
    });
    return row;
  });
  if (rows.length) body.replaceChildren(...rows);
}
setInterval(refresh, 10000);
