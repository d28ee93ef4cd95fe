// The REST API's monitoring routes (docs/api.md, "Monitoring and alarms"): alarms with their
// history, mute and acknowledgement; metrics queried and published.

#include <fmt/core.h>

#include "config/json_object.hpp"
#include "core/text.hpp"
#include "monitor/monitor.hpp"
#include "server/api_server.hpp"

namespace ec2m::server {
namespace {

constexpr size_t kMaxPoints = 10'080;    // a week of 1-minute points
constexpr size_t kMaxPublished = 1'000;  // datapoints per POST /api/v1/metrics

nlohmann::json AlarmJson(const monitor::AlarmStatus& a) {
  const monitor::AlarmSpec& s = a.spec;
  auto time = [](TimePoint t) {
    return t == TimePoint{} ? nlohmann::json(nullptr) : nlohmann::json(FormatIso8601Millis(t));
  };
  return {{"name", s.name},
          {"environment", a.scope},
          {"state", monitor::AlarmStateName(a.state)},
          {"reason", a.reason},
          {"since", time(a.since)},
          {"last_evaluated", time(a.last_evaluated)},
          {"episode", a.episode},
          {"muted", a.muted},
          {"acknowledged_by", a.acknowledged_by},
          {"description", s.description},
          {"metric", s.metric},
          {"dimensions", s.dimensions},
          {"statistic", s.statistic.Name()},
          {"period", s.period_seconds},
          {"evaluation_periods", s.evaluation_periods},
          {"datapoints_to_alarm", s.datapoints_to_alarm},
          {"comparison", monitor::ComparisonName(s.comparison)},
          {"threshold", s.threshold},
          {"treat_missing_data", monitor::MissingDataName(s.missing)},
          {"severity", s.severity},
          {"channels", s.channels}};
}

Result<TimePoint> QueryTime(const Call& call, const std::string& name, TimePoint fallback) {
  const std::string text = call.Query(name);
  if (text.empty()) {
    return fallback;
  }
  auto t = ParseIso8601(text);
  if (!t) {
    return Fail(
        ErrorCode::kInvalidArgument,
        name + ": expected an RFC 3339 UTC time (2026-11-27T10:00:00Z), got " + ShownValue(text));
  }
  return *t;
}

}  // namespace

void ApiServer::AddMonitorRoutes() {
  auto monitor = [this]() -> Result<monitor::Monitor*> {
    if (services_.monitor == nullptr) {
      return Fail(ErrorCode::kUnavailable, "monitoring is not running on this server");
    }
    return services_.monitor;
  };
  // The environment of a route without {env}: the query's "env" (GET) or the body's (POST).

  AddRoute("GET", "/api/v1/alarms", Access::kSignedIn, Role::kViewer,
           "list alarms with their state", [monitor](Call& call) -> Result<Reply> {
             auto m = monitor();
             EC2M_RETURN_IF_ERROR(m);
             const std::string env = call.Query("env");
             const std::string state = call.Query("state");
             if (!state.empty() && !monitor::ParseAlarmState(state)) {
               return Fail(
                   ErrorCode::kInvalidArgument,
                   "state: expected one of OK, ALARM, INSUFFICIENT_DATA, got " + ShownValue(state));
             }
             const User& user = call.who->user;
             if (!env.empty() && !user.RoleIn(env)) {
               return Fail(ErrorCode::kPermissionDenied, "you hold no role in " + env);
             }
             auto alarms = (*m)->List(env);
             EC2M_RETURN_IF_ERROR(alarms);
             nlohmann::json items = nlohmann::json::array();
             for (const auto& a : *alarms) {
               const bool visible = user.RoleIn(a.scope).has_value();
               if (visible && (state.empty() || monitor::AlarmStateName(a.state) == state)) {
                 items.push_back(AlarmJson(a));
               }
             }
             return Reply{200, {{"items", std::move(items)}}};
           });
  AddRoute("GET", "/api/v1/alarms/{name}", Access::kEnvRole, Role::kViewer, "read an alarm",
           [monitor](Call& call) -> Result<Reply> {
             auto m = monitor();
             EC2M_RETURN_IF_ERROR(m);
             auto a = (*m)->Get(call.env, call.Param("name"));
             EC2M_RETURN_IF_ERROR(a);
             return Reply{200, AlarmJson(*a)};
           });
  routes_.back().env_from = EnvFromQuery;
  routes_.back().control_plane_scope = true;
  AddRoute("GET", "/api/v1/alarms/{name}/history", Access::kEnvRole, Role::kViewer,
           "read an alarm's history", [monitor](Call& call) -> Result<Reply> {
             auto m = monitor();
             EC2M_RETURN_IF_ERROR(m);
             auto limit = QueryInt(call, "limit", 100, 1, 1000);
             EC2M_RETURN_IF_ERROR(limit);
             auto history = (*m)->History(call.env, call.Param("name"), *limit);
             EC2M_RETURN_IF_ERROR(history);
             nlohmann::json items = nlohmann::json::array();
             for (const auto& h : *history) {
               items.push_back({{"time", FormatIso8601Millis(h.time)},
                                {"kind", h.kind},
                                {"summary", h.summary},
                                {"from", h.from},
                                {"to", h.to},
                                {"actor", h.actor}});
             }
             return Reply{200, {{"items", std::move(items)}}};
           });
  routes_.back().env_from = EnvFromQuery;
  routes_.back().control_plane_scope = true;
  for (const bool mute : {true, false}) {
    AddRoute("POST", mute ? "/api/v1/alarms/{name}/mute" : "/api/v1/alarms/{name}/ack",
             Access::kEnvRole, Role::kDeployer,
             mute ? "mute an alarm until it is resolved" : "acknowledge an alarm",
             [this, monitor, mute](Call& call) -> Result<Reply> {
               auto m = monitor();
               EC2M_RETURN_IF_ERROR(m);
               const std::string name = call.Param("name");
               auto a = mute ? (*m)->Mute(call.env, name, call.who->user.email)
                             : (*m)->Acknowledge(call.env, name, call.who->user.email);
               AuditAction(call, mute ? "alarm.mute" : "alarm.acknowledge", "alarm:" + name,
                           a ? nullptr : &a.error());
               EC2M_RETURN_IF_ERROR(a);
               return Reply{200, AlarmJson(*a)};
             });
    routes_.back().control_plane_scope = true;
  }
  AddRoute("GET", "/api/v1/metrics/query", Access::kEnvRole, Role::kViewer,
           "query a metric's statistic per period", [this, monitor](Call& call) -> Result<Reply> {
             auto m = monitor();
             EC2M_RETURN_IF_ERROR(m);
             const std::string metric = call.Query("metric");
             if (metric.empty()) {
               return Fail(ErrorCode::kInvalidArgument,
                           "metric: expected a metric name (?metric=Latency)");
             }
             const std::string stat_text = call.Query("stat");
             auto stat = monitor::ParseStatistic(stat_text.empty() ? "Average" : stat_text);
             if (!stat) {
               return Fail(ErrorCode::kInvalidArgument, "stat: " + stat.error().message);
             }
             auto period = QueryInt(call, "period", 300, 60, 86400);
             EC2M_RETURN_IF_ERROR(period);
             if (*period % 60 != 0) {
               return Fail(
                   ErrorCode::kInvalidArgument,
                   fmt::format("period: expected a multiple of 60 seconds, got {}", *period));
             }
             auto dims = monitor::ParseDimensions(call.Query("dimensions"));
             if (!dims) {
               return Fail(ErrorCode::kInvalidArgument, "dimensions: " + dims.error().message);
             }
             const TimePoint now = clock_.Now();
             auto end = QueryTime(call, "end", now);
             EC2M_RETURN_IF_ERROR(end);
             auto start = QueryTime(call, "start", *end - std::chrono::hours(3));
             EC2M_RETURN_IF_ERROR(start);
             const int64_t step = int64_t{*period} * 1000;
             // Periods aligned to the period's length, as CloudWatch aligns them.
             const int64_t from = ToUnixMillis(*start) / step * step;
             const int64_t to = ToUnixMillis(*end);
             if (to <= from) {
               return Fail(ErrorCode::kInvalidArgument, "end: expected a time after start");
             }
             const auto count = static_cast<size_t>((to - from + step - 1) / step);
             if (count > kMaxPoints) {
               return Fail(ErrorCode::kInvalidArgument,
                           fmt::format("start..end holds {} periods of {} s; at most {} per query "
                                       "(use a longer period)",
                                       count, *period, kMaxPoints));
             }
             const auto values =
                 (*m)->metrics().Query(call.env, metric, *dims, *stat, FromUnixMillis(from),
                                       std::chrono::seconds(*period), count);
             nlohmann::json points = nlohmann::json::array();
             for (size_t k = 0; k < values.size(); ++k) {
               if (values[k]) {
                 points.push_back(
                     {{"t", FormatIso8601(FromUnixMillis(from + static_cast<int64_t>(k) * step))},
                      {"v", *values[k]}});
               }
             }
             return Reply{200,
                          {{"environment", call.env},
                           {"metric", metric},
                           {"stat", stat->Name()},
                           {"period", *period},
                           {"points", std::move(points)}}};
           });
  routes_.back().env_from = EnvFromQuery;
  routes_.back().control_plane_scope = true;
  AddRoute("GET", "/api/v1/metrics", Access::kEnvRole, Role::kViewer,
           "list an environment's metric series", [monitor](Call& call) -> Result<Reply> {
             auto m = monitor();
             EC2M_RETURN_IF_ERROR(m);
             nlohmann::json items = nlohmann::json::array();
             for (const auto& s : (*m)->metrics().List(call.env)) {
               items.push_back({{"metric", s.metric}, {"dimensions", s.dimensions}});
             }
             return Reply{200, {{"items", std::move(items)}}};
           });
  routes_.back().env_from = EnvFromQuery;
  routes_.back().control_plane_scope = true;
  AddRoute("POST", "/api/v1/metrics", Access::kEnvRole, Role::kDeployer,
           "publish datapoints (PutMetricData)", [this, monitor](Call& call) -> Result<Reply> {
             auto m = monitor();
             EC2M_RETURN_IF_ERROR(m);
             auto body = RequestBody(call);
             EC2M_RETURN_IF_ERROR(body);
             (void)body->String("env");  // read by Authorize
             auto data = body->Objects("data");
             EC2M_RETURN_IF_ERROR(data);
             if (data->empty() || data->size() > kMaxPublished) {
               return Fail(ErrorCode::kInvalidArgument,
                           fmt::format("request body: $.data: expected 1..{} datapoints, got {}",
                                       kMaxPublished, data->size()));
             }
             struct Point {
               monitor::SeriesId id;
               TimePoint time;
               double value;
             };
             std::vector<Point> points;
             const TimePoint now = clock_.Now();
             // Everything is read before anything is recorded: a bad datapoint changes nothing.
             for (config::JsonObject& o : *data) {
               auto metric = o.String("metric");
               EC2M_RETURN_IF_ERROR(metric);
               if (metric->empty() || metric->size() > 255) {
                 return o.Invalid("metric", "expected 1..255 characters");
               }
               auto value = o.OptNumber("value");
               EC2M_RETURN_IF_ERROR(value);
               if (!*value) {
                 return o.Invalid("value", "expected a number");
               }
               auto dims = o.OptStringMap("dimensions");
               EC2M_RETURN_IF_ERROR(dims);
               auto at = o.OptString("timestamp");
               EC2M_RETURN_IF_ERROR(at);
               TimePoint when = now;
               if (*at) {
                 auto parsed = ParseIso8601(**at);
                 if (!parsed || *parsed > now + std::chrono::minutes(5)) {
                   return o.Invalid(
                       "timestamp",
                       "expected an RFC 3339 UTC time not in the future, got " + ShownValue(**at));
                 }
                 when = *parsed;
               }
               EC2M_RETURN_IF_ERROR(o.Finish());
               points.push_back(
                   {{call.env, *metric, dims->value_or(std::map<std::string, std::string>{})},
                    when,
                    **value});
             }
             EC2M_RETURN_IF_ERROR(body->Finish());
             for (const Point& p : points) {
               (*m)->metrics().PutPublished(p.id, p.time, p.value);
             }
             return Reply{200, {{"accepted", points.size()}}};
           });
}

}  // namespace ec2m::server
