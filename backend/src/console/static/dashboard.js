// The dashboard chart: issuance and redemptions per day. Chart.js (served by the club itself)
// loads first; the figures come from the canvas's data-chart attribute, never inline script.
(() => {
  const canvas = document.getElementById('activity-chart');
  if (!canvas || typeof window.Chart !== 'function') return;
  let data;
  try {
    data = JSON.parse(canvas.dataset.chart ?? '');
  } catch {
    return;
  }
  const labels = data.days.map((day) => day.slice(5));
  new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'Issued', data: data.issued, backgroundColor: '#5a78ff', borderRadius: 3, maxBarThickness: 18 },
        { label: 'Redeemed', data: data.redeemed, backgroundColor: '#2f9e5b', borderRadius: 3, maxBarThickness: 18 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: (items) => data.days[items[0].dataIndex] } },
      },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12, color: '#5a6372' } },
        y: { beginAtZero: true, ticks: { precision: 0, color: '#5a6372' }, grid: { color: '#eceef2' } },
      },
    },
  });
})();
