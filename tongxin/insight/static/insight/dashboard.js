// The dashboard's charts (ECharts 4, served by the app). The page carries each chart's data as
// JSON (#dashboard-charts): categories, and per series its values, each with the URL of the
// records it counts. A click on a bar, a point or a slice opens those records. No inline script:
// the Content-Security-Policy forbids it.
(function () {
  "use strict";

  var PALETTE = ["#b71c1c", "#c9a227", "#3f5873", "#7a8f5a", "#8e6c8a", "#d0776b"];
  var TEXT = "#4b5563";
  var GRID_LINE = "#eef0f3";

  function narrow(el) {
    return el.clientWidth < 480;
  }

  function tooltip(unitOf) {
    return {
      trigger: "item",
      confine: true,
      formatter: function (p) {
        var head = p.name ? p.name + "<br>" : "";
        var unit = unitOf(p.seriesIndex);
        return head + p.marker + p.seriesName + "：<b>" + p.value + "</b>" + unit +
          '<br><span style="color:#9ca3af">点击查看记录</span>';
      }
    };
  }

  function axisOption(spec, el) {
    var small = narrow(el);
    var horizontal = spec.kind === "hbar";
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      axisTick: {alignWithLabel: true},
      axisLine: {lineStyle: {color: "#d1d5db"}},
      axisLabel: {color: TEXT, interval: 0, rotate: !horizontal && small && spec.categories.length > 6 ? 40 : 0}
    };
    if (horizontal) {
      categoryAxis.inverse = true; // the first unit on top
    }
    var valueAxis = {
      type: "value",
      minInterval: 1,
      axisLabel: {color: TEXT},
      splitLine: {lineStyle: {color: GRID_LINE}}
    };
    var series = spec.series.map(function (s) {
      var one = {
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        data: s.data,
        cursor: "pointer",
        barMaxWidth: 26
      };
      if (spec.kind === "line") {
        one.symbolSize = 7; // straight segments: a smoothed line would dip below zero
      }
      return one;
    });
    return {
      animation: false,
      color: PALETTE,
      textStyle: {fontFamily: getComputedStyle(document.body).fontFamily},
      tooltip: tooltip(function (i) { return spec.series[i].unit; }),
      legend: {top: 0, type: "scroll", textStyle: {color: TEXT}},
      grid: {left: 8, right: 16, top: 34, bottom: 6, containLabel: true},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series
    };
  }

  function pieOption(spec, el) {
    var s = spec.series[0];
    var data = s.data.map(function (d, i) {
      return {name: spec.categories[i], value: d.value, url: d.url};
    });
    var small = narrow(el);
    return {
      animation: false,
      color: PALETTE,
      textStyle: {fontFamily: getComputedStyle(document.body).fontFamily},
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (p) {
          return p.marker + p.name + "：<b>" + p.value + "</b>" + s.unit + "（" + p.percent + "%）" +
            '<br><span style="color:#9ca3af">点击查看记录</span>';
        }
      },
      legend: {
        orient: small ? "horizontal" : "vertical",
        right: small ? "center" : 0,
        left: small ? "center" : "auto",
        top: small ? "bottom" : "middle",
        textStyle: {color: TEXT},
        formatter: function (name) {
          var found = data.filter(function (d) { return d.name === name; })[0];
          return name + "  " + (found ? found.value : "");
        }
      },
      series: [{
        name: s.name,
        type: "pie",
        radius: ["45%", "72%"],
        center: small ? ["50%", "42%"] : ["38%", "50%"],
        avoidLabelOverlap: true,
        label: {normal: {show: false}},
        cursor: "pointer",
        data: data
      }]
    };
  }

  function build(el, spec) {
    var chart = window.echarts.init(el);
    chart.setOption(spec.kind === "pie" ? pieOption(spec, el) : axisOption(spec, el));
    chart.on("click", function (p) {
      if (p.data && p.data.url) {
        window.location.href = p.data.url;
      }
    });
    return chart;
  }

  function init() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) {
      return; // the tables under the charts still hold every figure and its link
    }
    var specs = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = specs[el.getAttribute("data-chart")];
      if (spec) {
        charts.push({el: el, spec: spec, chart: build(el, spec)});
      }
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (c) {
          c.chart.setOption(c.spec.kind === "pie" ? pieOption(c.spec, c.el) : axisOption(c.spec, c.el));
          c.chart.resize();
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
