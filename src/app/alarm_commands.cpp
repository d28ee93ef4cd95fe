#include "app/alarm_commands.hpp"

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/api_client.hpp"
#include "cli/exit_codes.hpp"
#include "cli/table.hpp"
#include "monitor/metric_store.hpp"

namespace ec2m::app {
namespace {

int Report(const Error& e) { return cli::ReportError(e); }

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), "", ""};
}

std::string AlarmPath(const AlarmOptions& o, const std::string& rest = "") {
  return "/api/v1/alarms/" + UrlEncode(o.name) + rest + "?env=" + UrlEncode(o.environment);
}

// One request of an alarms or metrics command, printed by `print` (or as JSON with -o json).
int Send(const AlarmOptions& o, const std::string& method, const std::string& path,
         const nlohmann::json& body, const Printer& print) {
  return CallAndPrint(
      {.server_flag = o.server, .output = o.output, .method = method, .path = path, .body = body},
      print);
}

using cli::PrintRows;

std::string Rule(const nlohmann::json& a) {
  return fmt::format("{} {} over {}s, {} of {} datapoints {} {} (missing: {})",
                     JsonField(a, "metric"), JsonField(a, "statistic"), JsonField(a, "period"),
                     JsonField(a, "datapoints_to_alarm"), JsonField(a, "evaluation_periods"),
                     JsonField(a, "comparison"), JsonField(a, "threshold"),
                     JsonField(a, "treat_missing_data"));
}

int List(const AlarmOptions& o) {
  std::string path = "/api/v1/alarms";
  std::string sep = "?";
  if (!o.environment.empty()) {
    path += sep + "env=" + UrlEncode(o.environment);
    sep = "&";
  }
  if (!o.state.empty()) {
    path += sep + "state=" + UrlEncode(o.state);
  }
  return Send(o, "GET", path, nullptr, [](const nlohmann::json& a, cli::OutputFormat f) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& item : a["items"]) {
      std::string flags = item.value("muted", false) ? "muted" : "";
      if (!JsonField(item, "acknowledged_by").empty()) {
        flags += (flags.empty() ? "" : ",") + std::string("acked");
      }
      rows.push_back({JsonField(item, "environment"), JsonField(item, "name"),
                      JsonField(item, "state"), JsonField(item, "severity"),
                      JsonField(item, "since"), flags, JsonField(item, "reason")});
    }
    return PrintRows(f, {"ENV", "NAME", "STATE", "SEVERITY", "SINCE", "FLAGS", "REASON"}, rows);
  });
}

int Show(const AlarmOptions& o) {
  return Send(o, "GET", AlarmPath(o), nullptr, [](const nlohmann::json& a, cli::OutputFormat) {
    std::printf("%s (%s)  %s since %s%s%s\n", JsonField(a, "name").c_str(),
                JsonField(a, "environment").c_str(), JsonField(a, "state").c_str(),
                JsonField(a, "since").c_str(), a.value("muted", false) ? "  muted" : "",
                JsonField(a, "acknowledged_by").empty()
                    ? ""
                    : ("  acknowledged by " + JsonField(a, "acknowledged_by")).c_str());
    std::printf("  %s\n  rule: %s\n  severity: %s\n  reason: %s\n",
                JsonField(a, "description").c_str(), Rule(a).c_str(),
                JsonField(a, "severity").c_str(), JsonField(a, "reason").c_str());
    return 0;
  });
}

int History(const AlarmOptions& o) {
  return Send(o, "GET", AlarmPath(o, "/history") + "&limit=" + std::to_string(o.limit), nullptr,
              [](const nlohmann::json& a, cli::OutputFormat f) {
                std::vector<std::vector<std::string>> rows;
                for (const auto& h : a["items"]) {
                  rows.push_back({JsonField(h, "time"), JsonField(h, "kind"),
                                  JsonField(h, "summary"), JsonField(h, "actor")});
                }
                return PrintRows(f, {"TIME", "KIND", "SUMMARY", "BY"}, rows);
              });
}

int Act(const AlarmOptions& o, const std::string& action) {
  return Send(o, "POST", "/api/v1/alarms/" + UrlEncode(o.name) + "/" + action,
              {{"env", o.environment}}, [&](const nlohmann::json& a, cli::OutputFormat) {
                std::printf("%s (%s): %s%s\n", JsonField(a, "name").c_str(),
                            JsonField(a, "environment").c_str(), JsonField(a, "state").c_str(),
                            action == "mute" ? ", muted until resolved" : ", acknowledged");
                return 0;
              });
}

int PutMetric(const AlarmOptions& o) {
  auto dims = monitor::ParseDimensions(o.dimensions);
  if (!dims) {
    return Report(Invalid("--dimensions: " + dims.error().message));
  }
  nlohmann::json point = {{"metric", o.metric}, {"value", o.value}};
  if (!dims->empty()) {
    point["dimensions"] = *dims;
  }
  return Send(o, "POST", "/api/v1/metrics", {{"env", o.environment}, {"data", {point}}},
              [](const nlohmann::json& a, cli::OutputFormat) {
                std::printf("accepted %s datapoint(s)\n", JsonField(a, "accepted").c_str());
                return 0;
              });
}

int GetMetric(const AlarmOptions& o) {
  std::string path =
      fmt::format("/api/v1/metrics/query?env={}&metric={}&stat={}&period={}",
                  UrlEncode(o.environment), UrlEncode(o.metric), UrlEncode(o.stat), o.period);
  for (const auto& [key, value] : {std::pair{"start", o.start}, std::pair{"end", o.end},
                                   std::pair{"dimensions", o.dimensions}}) {
    if (!value.empty()) {
      path += std::string("&") + key + "=" + UrlEncode(value);
    }
  }
  return Send(o, "GET", path, nullptr, [](const nlohmann::json& a, cli::OutputFormat f) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : a["points"]) {
      rows.push_back({JsonField(p, "t"), JsonField(p, "v")});
    }
    return PrintRows(f, {"PERIOD", JsonField(a, "stat")}, rows);
  });
}

int ListMetrics(const AlarmOptions& o) {
  return Send(o, "GET", "/api/v1/metrics?env=" + UrlEncode(o.environment), nullptr,
              [](const nlohmann::json& a, cli::OutputFormat f) {
                std::vector<std::vector<std::string>> rows;
                for (const auto& s : a["items"]) {
                  std::string dims;
                  for (const auto& [k, v] : s["dimensions"].items()) {
                    dims += (dims.empty() ? "" : ",") + k + "=" + v.get<std::string>();
                  }
                  rows.push_back({JsonField(s, "metric"), dims});
                }
                return PrintRows(f, {"METRIC", "DIMENSIONS"}, rows);
              });
}

}  // namespace

void AddAlarmCommands(CLI::App& app, AlarmOptions& o, int& exit_code) {
  auto common = [&](CLI::App* cmd, bool env_required) {
    auto* env = cmd->add_option("--env,-e", o.environment,
                                "The environment (ec2m: the control plane's own)");
    if (env_required) {
      env->required();
    }
    cmd->add_option("--server", o.server, "The ec2m server (default: the signed-in one)");
    cmd->add_option("--output,-o", o.output, "table, json or text");
  };
  CLI::App* alarms = app.add_subcommand("alarms", "CloudWatch-style alarms and their state");
  alarms->require_subcommand(1);
  CLI::App* list = alarms->add_subcommand("list", "Alarms with their state");
  common(list, false);
  list->add_option("--state", o.state, "OK, ALARM or INSUFFICIENT_DATA")
      ->check(CLI::IsMember({"OK", "ALARM", "INSUFFICIENT_DATA"}));
  list->callback([&] { exit_code = List(o); });
  CLI::App* show = alarms->add_subcommand("show", "One alarm: rule, state, reason");
  show->add_option("name", o.name, "The alarm's name")->required();
  common(show, true);
  show->callback([&] { exit_code = Show(o); });
  CLI::App* history = alarms->add_subcommand("history", "An alarm's history, newest first");
  history->add_option("name", o.name, "The alarm's name")->required();
  common(history, true);
  history->add_option("--limit", o.limit, "How many (1..1000)")->check(CLI::Range(1, 1000));
  history->callback([&] { exit_code = History(o); });
  CLI::App* mute = alarms->add_subcommand("mute", "Silence an alarm's notifications");
  mute->add_option("name", o.name, "The alarm's name")->required();
  common(mute, true);
  mute->add_flag("--until-resolved", o.until_resolved,
                 "Until the alarm next returns to OK (the only mode)")
      ->required();
  mute->callback([&] { exit_code = Act(o, "mute"); });
  CLI::App* ack = alarms->add_subcommand("ack", "Acknowledge an alarm in ALARM");
  ack->add_option("name", o.name, "The alarm's name")->required();
  common(ack, true);
  ack->callback([&] { exit_code = Act(o, "ack"); });

  CLI::App* metrics = app.add_subcommand("metrics", "Metrics of an environment");
  metrics->require_subcommand(1);
  CLI::App* series = metrics->add_subcommand("list", "The environment's metric series");
  common(series, true);
  series->callback([&] { exit_code = ListMetrics(o); });
  CLI::App* get = metrics->add_subcommand("get", "A metric's statistic per period");
  get->add_option("metric", o.metric, "The metric (Latency, Requests, ...)")->required();
  common(get, true);
  get->add_option("--stat", o.stat, "Sum, Average, Minimum, Maximum, SampleCount, p90, ...");
  get->add_option("--period", o.period, "Seconds, a multiple of 60")->check(CLI::Range(60, 86400));
  get->add_option("--start", o.start, "RFC 3339 UTC time (default: 3 hours before --end)");
  get->add_option("--end", o.end, "RFC 3339 UTC time (default: now)");
  get->add_option("--dimensions", o.dimensions, "Name=Value[,Name=Value]");
  get->callback([&] { exit_code = GetMetric(o); });
  CLI::App* put = metrics->add_subcommand("put", "Publish one datapoint now");
  put->add_option("metric", o.metric, "The metric")->required();
  put->add_option("value", o.value, "The value")->required();
  common(put, true);
  put->add_option("--dimensions", o.dimensions, "Name=Value[,Name=Value]");
  put->callback([&] { exit_code = PutMetric(o); });
}

}  // namespace ec2m::app
