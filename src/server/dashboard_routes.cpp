// The REST API's dashboards (docs/api.md, "Dashboards"): the specification's executive,
// operations and business dashboards, each assembled here from the metric store, the alarms,
// the incidents and the change sets, so the console draws one answer per dashboard.

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/text.hpp"
#include "incidents/incidents.hpp"
#include "monitor/monitor.hpp"
#include "server/api_server.hpp"
#include "stack/provisioner.hpp"

namespace ec2m::server {
namespace {

constexpr int kHoursInMonth = 730;  // what AWS's pricing pages call a month
constexpr int kMaxIncidents = 1'000;
constexpr int kMaxChangeSets = 1'000;

// The periods every time series of one dashboard shares.
struct Window {
  TimePoint from;  // the range asked for
  TimePoint to;
  TimePoint start;  // the first period's start (aligned to the period)
  std::chrono::seconds period;
  size_t count = 0;
};

// 1-minute periods up to 3 hours, 5-minute up to 2 days, hourly beyond: at most 336 points.
Window WindowFor(TimePoint now, int hours) {
  Window w;
  w.to = now;
  w.from = now - std::chrono::hours(hours);
  w.period = std::chrono::seconds(hours <= 3 ? 60 : hours <= 48 ? 300 : 3600);
  const int64_t step = w.period.count() * 1000;
  const int64_t start = ToUnixMillis(w.from) / step * step;
  w.start = FromUnixMillis(start);
  w.count = static_cast<size_t>((ToUnixMillis(now) - start + step - 1) / step);
  return w;
}

nlohmann::json Values(const std::vector<std::optional<double>>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : values) {
    out.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
  }
  return out;
}

nlohmann::json Optional(std::optional<double> v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json Stat(const std::string& id, const std::string& title, const std::string& unit,
                    std::optional<double> value) {
  return {
      {"id", id}, {"title", title}, {"kind", "stat"}, {"unit", unit}, {"value", Optional(value)}};
}

nlohmann::json TimeSeries(const std::string& id, const std::string& title, const std::string& unit,
                          nlohmann::json series) {
  return {{"id", id},
          {"title", title},
          {"kind", "timeseries"},
          {"unit", unit},
          {"series", std::move(series)}};
}

// Reads one dashboard's figures; every query covers the same window.
class Assembler {
 public:
  Assembler(monitor::Monitor& monitor, const std::string& scope, const Window& w)
      : metrics_(monitor.metrics()), scope_(scope), w_(w) {}

  std::vector<std::optional<double>> Query(const std::string& metric, const char* stat,
                                           const std::map<std::string, std::string>& dims = {},
                                           const std::string& scope = "") const {
    return metrics_.Query(scope.empty() ? scope_ : scope, metric, dims,
                          monitor::ParseStatistic(stat).value(), w_.start, w_.period, w_.count);
  }
  // The statistic over the whole window (one period as long as the window).
  std::optional<double> Total(const std::string& metric, const char* stat,
                              const std::string& scope = "") const {
    const auto whole = std::chrono::duration_cast<std::chrono::seconds>(w_.to - w_.start) +
                       std::chrono::seconds(1);
    auto v = metrics_.Query(scope.empty() ? scope_ : scope, metric, {},
                            monitor::ParseStatistic(stat).value(), w_.start, whole, 1);
    return v.empty() ? std::nullopt : v.front();
  }
  // The newest period with a value.
  static std::optional<double> Latest(const std::vector<std::optional<double>>& values) {
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
      if (*it) {
        return *it;
      }
    }
    return std::nullopt;
  }
  // 100·part/whole per period; no value where whole has none or is 0.
  static std::vector<std::optional<double>> Percent(const std::vector<std::optional<double>>& part,
                                                    const std::vector<std::optional<double>>& whole,
                                                    bool complement) {
    std::vector<std::optional<double>> out(whole.size());
    for (size_t k = 0; k < whole.size() && k < part.size(); ++k) {
      if (whole[k] && *whole[k] > 0) {
        const double p = 100.0 * part[k].value_or(0) / *whole[k];
        out[k] = complement ? 100.0 - p : p;
      }
    }
    return out;
  }
  // A metric's series by the value of one dimension ("State" → running, stopped, ...).
  std::vector<std::string> DimensionValues(const std::string& metric, const std::string& dim,
                                           const std::string& scope = "") const {
    std::vector<std::string> out;
    for (const monitor::SeriesId& s : metrics_.List(scope.empty() ? scope_ : scope)) {
      auto it = s.dimensions.find(dim);
      if (s.metric == metric && it != s.dimensions.end() &&
          std::find(out.begin(), out.end(), it->second) == out.end()) {
        out.push_back(it->second);
      }
    }
    return out;
  }

 private:
  monitor::MetricStore& metrics_;
  const std::string scope_;
  const Window& w_;
};

Result<nlohmann::json> AlarmsPanel(monitor::Monitor& monitor, const std::string& scope) {
  auto alarms = monitor.List(scope);
  EC2M_RETURN_IF_ERROR(alarms);
  nlohmann::json items = nlohmann::json::array();
  for (const monitor::AlarmStatus& a : *alarms) {
    items.push_back(
        {{"name", a.spec.name},
         {"state", monitor::AlarmStateName(a.state)},
         {"severity", a.spec.severity},
         {"reason", a.reason},
         {"since", a.since == TimePoint{} ? nlohmann::json(nullptr)
                                          : nlohmann::json(FormatIso8601Millis(a.since))}});
  }
  return nlohmann::json{
      {"id", "alarms"}, {"title", "Alarms"}, {"kind", "alarms"}, {"alarms", items}};
}

nlohmann::json OperationsPanels(const Assembler& a) {
  nlohmann::json panels = nlohmann::json::array();
  panels.push_back(TimeSeries("latency", "Latency", "Seconds",
                              {{{"label", "p50"}, {"values", Values(a.Query("Latency", "p50"))}},
                               {{"label", "p99"}, {"values", Values(a.Query("Latency", "p99"))}}}));
  const auto requests = a.Query("Requests", "Sum");
  panels.push_back(TimeSeries(
      "error_rate", "Error rate", "Percent",
      {{{"label", "5xx"},
        {"values", Values(Assembler::Percent(a.Query("ServerErrors", "Sum"), requests, false))}},
       {{"label", "cloud errors"},
        {"values", Values(Assembler::Percent(a.Query("CloudErrors", "Sum"),
                                             a.Query("CloudCalls", "Sum"), false))}}}));
  panels.push_back(
      TimeSeries("throttling", "Throttled cloud calls", "Count",
                 {{{"label", "throttles"}, {"values", Values(a.Query("Throttles", "Sum"))}}}));
  panels.push_back(TimeSeries("requests", "Requests", "Count",
                              {{{"label", "requests"}, {"values", Values(requests)}}}));
  nlohmann::json rows = nlohmann::json::array();
  for (const std::string& state : a.DimensionValues("Instances", "State")) {
    rows.push_back({{"label", state},
                    {"value", Optional(Assembler::Latest(
                                  a.Query("Instances", "Maximum", {{"State", state}})))}});
  }
  panels.push_back({{"id", "instances"},
                    {"title", "Instances by state"},
                    {"kind", "table"},
                    {"unit", "Count"},
                    {"rows", std::move(rows)}});
  return panels;
}

nlohmann::json BusinessPanels(const Assembler& a) {
  const std::string cp = monitor::kControlPlane;
  nlohmann::json panels = nlohmann::json::array();
  panels.push_back(Stat("sign_ins_total", "Sign-ins", "Count", a.Total("SignIns", "Sum", cp)));
  panels.push_back(
      TimeSeries("sign_ins", "Sign-ins by period", "Count",
                 {{{"label", "sign-ins"}, {"values", Values(a.Query("SignIns", "Sum", {}, cp))}}}));
  panels.push_back(TimeSeries("active_users", "Active users", "Count",
                              {{{"label", "active users"},
                                {"values", Values(a.Query("ActiveUsers", "Maximum", {}, cp))}}}));
  nlohmann::json rows = nlohmann::json::array();
  for (const std::string& feature : a.DimensionValues("FeatureUse", "Feature", cp)) {
    auto uses = a.Query("FeatureUse", "Sum", {{"Feature", feature}}, cp);
    double total = 0;
    for (const auto& v : uses) {
      total += v.value_or(0);
    }
    if (total > 0) {
      rows.push_back({{"label", feature}, {"value", total}});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const nlohmann::json& x, const nlohmann::json& y) {
    return x.at("value").get<double>() > y.at("value").get<double>();
  });
  panels.push_back({{"id", "feature_use"},
                    {"title", "Feature use"},
                    {"kind", "table"},
                    {"unit", "Count"},
                    {"rows", std::move(rows)}});
  return panels;
}

// Availability, deployments, time to resolve, open incidents and cost of one environment.
Result<nlohmann::json> ExecutivePanels(const Services& services, const std::string& env,
                                       const Assembler& a, const Window& w) {
  nlohmann::json panels = nlohmann::json::array();
  const auto errors = a.Total("ServerErrors", "Sum");
  const auto requests = a.Total("Requests", "Sum");
  std::optional<double> availability;
  if (requests && *requests > 0) {
    availability = 100.0 * (1.0 - errors.value_or(0) / *requests);
  }
  panels.push_back(Stat("availability", "Availability", "Percent", availability));

  std::optional<double> deployments;
  if (services.provisioner != nullptr && env != monitor::kControlPlane) {
    auto list = services.provisioner->change_sets().List(env, kMaxChangeSets);
    EC2M_RETURN_IF_ERROR(list);
    deployments = 0;
    for (const stack::ChangeSet& cs : *list) {
      const auto finished = ParseIso8601(cs.finished_at);
      if (cs.status == "succeeded" && finished && *finished >= w.from && *finished <= w.to) {
        ++*deployments;
      }
    }
  }
  panels.push_back(Stat("deployments", "Deployments", "Count", deployments));

  std::optional<double> open;
  std::optional<double> mttr;
  if (services.incidents != nullptr) {
    incidents::ListQuery q;
    q.environment = env;
    q.limit = kMaxIncidents;
    auto page = services.incidents->List(q);
    EC2M_RETURN_IF_ERROR(page);
    double seconds = 0;
    int resolved = 0;
    open = 0;
    for (const incidents::Incident& i : page->items) {
      if (i.open()) {
        ++*open;
      } else if (i.resolved_at && *i.resolved_at >= w.from && *i.resolved_at <= w.to) {
        seconds += std::chrono::duration<double>(*i.resolved_at - i.opened_at).count();
        ++resolved;
      }
    }
    if (resolved > 0) {
      mttr = seconds / resolved;
    }
  }
  panels.push_back(Stat("mttr", "Mean time to resolve", "Seconds", mttr));
  panels.push_back(Stat("open_incidents", "Open incidents", "Count", open));

  const auto cost = a.Query("EstimatedHourlyCost", "Maximum");
  const auto hourly = Assembler::Latest(cost);
  panels.push_back(Stat("monthly_cost", "Estimated monthly cost", "USD",
                        hourly ? std::optional<double>(*hourly * kHoursInMonth) : std::nullopt));
  panels.push_back(
      TimeSeries("availability_trend", "Availability by period", "Percent",
                 {{{"label", "availability"},
                   {"values", Values(Assembler::Percent(a.Query("ServerErrors", "Sum"),
                                                        a.Query("Requests", "Sum"), true))}}}));
  panels.push_back(TimeSeries("hourly_cost", "Estimated hourly cost", "USD",
                              {{{"label", "USD per hour"}, {"values", Values(cost)}}}));
  return panels;
}

}  // namespace

void ApiServer::AddDashboardRoutes() {
  AddRoute("GET", "/api/v1/dashboards/{name}", Access::kEnvRole, Role::kViewer,
           "a dashboard (executive, operations, business) over the last ?hours",
           [this](Call& call) -> Result<Reply> {
             if (services_.monitor == nullptr) {
               return Fail(ErrorCode::kUnavailable, "monitoring is not running on this server");
             }
             monitor::Monitor& monitor = *services_.monitor;
             const std::string name = call.Param("name");
             if (name != "executive" && name != "operations" && name != "business") {
               return Fail(ErrorCode::kNotFound, "no dashboard " + ShownValue(name) +
                                                     " (executive, operations, business)");
             }
             auto hours = QueryInt(call, "hours", 24, 1, 14 * 24);
             EC2M_RETURN_IF_ERROR(hours);
             const Window w = WindowFor(clock_.Now(), *hours);
             const Assembler a(monitor, call.env, w);
             nlohmann::json panels;
             if (name == "operations") {
               auto alarms = AlarmsPanel(monitor, call.env);
               EC2M_RETURN_IF_ERROR(alarms);
               panels = OperationsPanels(a);
               panels.insert(panels.begin(), std::move(*alarms));
             } else if (name == "business") {
               panels = BusinessPanels(a);
             } else {
               auto executive = ExecutivePanels(services_, call.env, a, w);
               EC2M_RETURN_IF_ERROR(executive);
               panels = std::move(*executive);
             }
             return Reply{200,
                          {{"dashboard", name},
                           {"environment", call.env},
                           {"from", FormatIso8601Millis(w.from)},
                           {"to", FormatIso8601Millis(w.to)},
                           {"start", FormatIso8601Millis(w.start)},
                           {"period", w.period.count()},
                           {"panels", std::move(panels)}}};
           });
  routes_.back().env_from = EnvFromQuery;
  routes_.back().control_plane_scope = true;
}

}  // namespace ec2m::server
