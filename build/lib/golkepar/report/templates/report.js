// The report's charts and class switches. Figures come from the JSON block #report-data;
// every text drawn is canvas text (tooltips too: renderMode "richText"), never HTML, so no
// string from a log can become markup. Nothing is fetched.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var world = JSON.parse(document.getElementById("world-map").textContent);
  echarts.registerMap("world", world);
  var colours = data.colours;
  var number = new Intl.NumberFormat("en");
  var charts = {};
  var current = { acquisition: "human", content: "human", audience: "human", when: "human" };

  function fmt(value) { return number.format(value); }
  function bytes(value) {
    var units = ["B", "kB", "MB", "GB", "TB"];
    var i = 0;
    while (Math.abs(value) >= 1000 && i < units.length - 1) { value /= 1000; i += 1; }
    return (i === 0 ? fmt(value) : value.toFixed(1)) + " " + units[i];
  }
  function chart(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    if (!charts[id]) { charts[id] = echarts.init(element, null, { renderer: "canvas" }); }
    return charts[id];
  }
  function tooltip(extra) {
    var base = { renderMode: "richText", confine: true };
    for (var key in extra) { base[key] = extra[key]; }
    return base;
  }
  function dayLabel(day) {
    var date = new Date(day + "T00:00:00Z");
    var text = date.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
    return data.incompleteDays.indexOf(day) >= 0 ? text + " (partial)" : text;
  }
  var days = data.days.map(dayLabel);
  var narrow = window.matchMedia("(max-width: 600px)").matches;
  var grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };
  // Long legends go under the chart, where they can wrap.
  // On a phone the legend is one line that scrolls; on a desktop it wraps under the chart.
  var legendUnder = { bottom: 0, type: narrow ? "scroll" : "plain" };
  var gridUnderLegend = { left: 8, right: 16, top: 28, bottom: narrow ? 40 : 64, containLabel: true };

  function drawTraffic() {
    var c = chart("chart-traffic");
    var series = ["human", "bot", "attacker", "unknown"].map(function (name) {
      return {
        name: name === "unknown" ? "Admins and unknown" : data.classLabels[name],
        type: "bar", stack: "hits", data: data.traffic[name],
        itemStyle: { color: colours[name] }, emphasis: { focus: "series" }
      };
    });
    series.push({
      name: "Human visits", type: "line", yAxisIndex: 1, data: data.traffic.visits,
      itemStyle: { color: "#111827" }, lineStyle: { width: 2 }, symbolSize: 5
    });
    c.setOption({
      animation: false, grid: gridUnderLegend, tooltip: tooltip({ trigger: "axis" }),
      legend: legendUnder,
      xAxis: { type: "category", data: days },
      yAxis: [
        { type: "value", name: "hits", axisLabel: { formatter: fmt } },
        { type: "value", name: "visits", splitLine: { show: false }, axisLabel: { formatter: fmt } }
      ],
      series: series
    });
  }

  function drawMap() {
    var c = chart("chart-map");
    var rows = data.countries[current.audience] || [];
    var names = {};
    var max = 1;
    rows.forEach(function (r) { names[r.name] = r.label; max = Math.max(max, r.value); });
    c.setOption({
      animation: false,
      tooltip: tooltip({
        trigger: "item",
        formatter: function (p) {
          var label = names[p.name] || p.name;
          return label + ": " + (p.value > 0 ? fmt(p.value) + " visitors" : "none");
        }
      }),
      visualMap: {
        show: !narrow, min: 0, max: max, left: 8, bottom: 8, itemHeight: 90, calculable: false,
        inRange: { color: ["#e0e7ff", colours[current.audience]] }, text: ["more", "fewer"]
      },
      series: [{
        type: "map", map: "world", roam: false, nameProperty: "name",
        itemStyle: { areaColor: "#f1f5f9", borderColor: "#cbd5e1", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#fbbf24" } },
        select: { disabled: true },
        data: rows.map(function (r) { return { name: r.name, value: r.value }; })
      }]
    }, true);
  }

  // Devices, browsers and systems as bars in the shown class's colour: lengths compare better
  // than pie slices, and the colour says whose figures they are.
  function drawBars(id, dimension) {
    var c = chart(id);
    var rows = ((data.technology[dimension] || {})[current.audience] || []).slice(0, 8).reverse();
    var total = 0;
    rows.forEach(function (r) { total += r.value; });
    c.setOption({
      animation: false, grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
      tooltip: tooltip({ trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (ps) {
        var r = rows[ps[0].dataIndex];
        return r.name + ": " + fmt(r.value) + " visitors";
      } }),
      xAxis: { type: "value", show: false },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
               axisTick: { show: false }, axisLine: { show: false },
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [{
        type: "bar", barMaxWidth: 18, itemStyle: { color: colours[current.audience] },
        label: { show: true, position: "right", formatter: function (p) {
          return total ? Math.round(p.value * 100 / total) + " %" : "";
        } },
        data: rows.map(function (r) { return r.value; })
      }]
    }, true);
  }

  function drawHeat() {
    var c = chart("chart-heat");
    var cells = data.heat[current.when] || [];
    var max = 1;
    cells.forEach(function (cell) { max = Math.max(max, cell[2]); });
    var hours = [];
    for (var h = 0; h < 24; h += 1) { hours.push(String(h)); }
    c.setOption({
      animation: false,
      grid: { left: 8, right: 8, top: 8, bottom: 52, containLabel: true },
      tooltip: tooltip({ formatter: function (p) {
        return data.weekdays[p.value[1]] + " " + p.value[0] + ":00 to " + p.value[0] + ":59: " +
          fmt(p.value[2]) + " hits";
      } }),
      xAxis: { type: "category", data: hours, splitArea: { show: true } },
      yAxis: { type: "category", data: data.weekdays, inverse: true, splitArea: { show: true } },
      visualMap: {
        min: 0, max: max, orient: "horizontal", left: "center", bottom: 0, itemWidth: 12,
        inRange: { color: ["#f8fafc", colours[current.when]] }, text: ["more", "fewer"]
      },
      series: [{ type: "heatmap", data: cells, emphasis: { itemStyle: { borderColor: "#111827" } } }]
    }, true);
  }

  function drawCrawlers() {
    var c = chart("chart-crawlers");
    if (!c) { return; }
    var rows = data.crawlers.slice(0, 10).reverse();
    c.setOption({
      animation: false, grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: tooltip({ trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (ps) {
        var row = rows[ps[0].dataIndex];
        return row.name + ": " + fmt(row.hits) + " hits, " + bytes(row.bytes);
      } }),
      xAxis: { type: "value", axisLabel: { formatter: fmt } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return r.hits; }),
                 itemStyle: { color: colours.bot } }]
    });
  }

  // Attack kinds in reds and oranges: attackers are never drawn green.
  var attackPalette = ["#dc2626", "#f97316", "#b91c1c", "#fb923c", "#7f1d1d", "#fbbf24",
                       "#ef4444", "#c2410c", "#fca5a5", "#92400e"];

  function drawSecurity() {
    var c = chart("chart-security");
    c.setOption({
      animation: false, grid: gridUnderLegend, color: attackPalette,
      tooltip: tooltip({ trigger: "axis" }), legend: legendUnder,
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: data.security.map(function (s) {
        return { name: s.kind, type: "bar", stack: "events", data: s.events };
      })
    });
  }

  function drawErrors() {
    chart("chart-status").setOption({
      animation: false, grid: gridUnderLegend, tooltip: tooltip({ trigger: "axis" }),
      legend: legendUnder,
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: [
        { name: "4xx (client errors)", type: "bar", stack: "s", data: data.status["4xx"], itemStyle: { color: "#f59e0b" } },
        { name: "5xx (server errors)", type: "bar", stack: "s", data: data.status["5xx"], itemStyle: { color: "#b91c1c" } }
      ]
    });
    chart("chart-errorlog").setOption({
      animation: false, grid: gridUnderLegend, tooltip: tooltip({ trigger: "axis" }),
      legend: legendUnder,
      color: ["#b91c1c", "#f59e0b", "#64748b", "#0ea5e9", "#a855f7"],
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", axisLabel: { formatter: fmt } },
      series: data.errorLines.map(function (s) {
        var name = s.level.charAt(0).toUpperCase() + s.level.slice(1);
        return { name: name, type: "bar", stack: "l", data: s.lines };
      })
    });
  }

  var redraw = {
    audience: function () { drawMap(); drawBars("chart-device", "device"); drawBars("chart-browser", "browser"); drawBars("chart-os", "os"); },
    when: drawHeat
  };

  function switchClass(panel, visitorClass) {
    current[panel] = visitorClass;
    var section = document.querySelector('section[data-panel="' + panel + '"]');
    section.querySelectorAll("button[data-class]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-class") === visitorClass ? "true" : "false");
    });
    section.querySelectorAll("div[data-class]").forEach(function (d) {
      d.hidden = d.getAttribute("data-class") !== visitorClass;
    });
    if (redraw[panel]) { redraw[panel](); }
  }

  document.querySelectorAll("button[data-panel]").forEach(function (button) {
    button.addEventListener("click", function () {
      switchClass(button.getAttribute("data-panel"), button.getAttribute("data-class"));
    });
  });

  drawTraffic();
  redraw.audience();
  drawHeat();
  drawCrawlers();
  drawSecurity();
  drawErrors();
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
  document.documentElement.setAttribute("data-rendered", "true");
}());
