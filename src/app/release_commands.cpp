#include "app/release_commands.hpp"

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/api_client.hpp"
#include "app/deployment_follow.hpp"
#include "cli/exit_codes.hpp"
#include "cli/table.hpp"
#include "core/files.hpp"

namespace ec2m::app {
namespace {

Result<std::unique_ptr<ApiClient>> Connect(const ReleaseOptions& o) {
  return ConnectSignedIn(o.server);
}

// Runs one request and prints `line(answer)`; returns the exit code.
int Run(const ReleaseOptions& o, const std::string& method, const std::string& path,
        const nlohmann::json& body, const std::function<std::string(const nlohmann::json&)>& line) {
  auto client = Connect(o);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto answer = (*client)->Call(method, path, body);
  if (!answer) {
    return cli::ReportError(answer.error());
  }
  std::printf("%s\n", line(*answer).c_str());
  return 0;
}

// Follows deployment `id` to its end; the exit code says how it ended.
int Follow(ApiClient& client, const std::string& id, int timeout_seconds) {
  return FollowDeployment(client, id, timeout_seconds).exit_code;
}

int CreateRelease(const ReleaseOptions& o) {
  nlohmann::json body = {{"group", o.group}, {"env", o.environment}};
  for (const auto& [key, value] :
       {std::pair{"image", &o.image}, std::pair{"commit", &o.commit},
        std::pair{"branch", &o.branch}, std::pair{"workflow_url", &o.workflow_url}}) {
    if (!value->empty()) {
      body[key] = *value;
    }
  }
  if (!o.user_data_file.empty()) {
    auto text = ReadFile(o.user_data_file);
    if (!text) {
      Error e = text.error();
      e.message = "--user-data: " + e.message;
      return cli::ReportError(e);
    }
    body["user_data"] = *text;
  }
  if (o.image.empty() && o.user_data_file.empty()) {
    return cli::ReportError(
        Error{ErrorCode::kInvalidArgument, "a release needs --image, --user-data or both", "", ""});
  }
  return Run(o, "POST", "/api/v1/releases", body,
             [](const nlohmann::json& r) { return JsonField(r, "id"); });
}

int ListReleases(const ReleaseOptions& o) {
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output.empty() ? "table" : o.output,
       .path = fmt::format("/api/v1/releases?limit={}", o.limit),
       .json_key = "items"},
      [](const nlohmann::json& list, cli::OutputFormat format) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : list["items"]) {
          std::string went;
          for (const auto& d : r["deployments"]) {
            went += fmt::format("{}{}:{}({})", went.empty() ? "" : " ", JsonField(d, "environment"),
                                JsonField(d, "state"), JsonField(d, "id"));
          }
          rows.push_back({JsonField(r, "id"), JsonField(r, "group"), JsonField(r, "image"),
                          JsonField(r, "commit"), JsonField(r, "author"),
                          JsonField(r, "created_at"), went.empty() ? "-" : went});
        }
        return cli::PrintRows(
            format, {"ID", "GROUP", "IMAGE", "COMMIT", "AUTHOR", "CREATED", "DEPLOYMENTS"}, rows);
      });
}

int Deploy(const ReleaseOptions& o) {
  nlohmann::json body = {{"env", o.environment}, {"group", o.group}, {"release", o.release}};
  if (!o.emergency.empty()) {
    body["emergency"] = o.emergency;
    body["emergency_reason"] = o.reason;
  } else if (!o.reason.empty()) {
    return cli::ReportError(
        Error{ErrorCode::kInvalidArgument, "--reason goes with --emergency", "", ""});
  }
  auto client = Connect(o);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto d = (*client)->Call("POST", "/api/v1/deployments", body);
  if (!d) {
    Error e = d.error();
    // The server names body fields; the CLI's user typed flags.
    for (const auto& [field, flag] :
         {std::pair{"$.emergency:", "--emergency:"}, std::pair{"$.release:", "--release:"}}) {
      if (auto at = e.message.find(field); at != std::string::npos) {
        e.message = e.message.substr(at).replace(0, std::string(field).size(), flag);
      }
    }
    return cli::ReportError(e);
  }
  const std::string id = JsonField(*d, "id");
  std::printf("%s\n", id.c_str());
  std::fflush(stdout);
  if (!o.wait) {
    return 0;
  }
  return Follow(**client, id, o.timeout_seconds);
}

// What a deployment carries, in a few words: "r-3 (web)", "provision", "rollback to cs-prod-3".
std::string Carries(const nlohmann::json& d) {
  if (JsonField(d, "kind") != "infrastructure" || !d["infrastructure"].is_object()) {
    return JsonField(d, "release") + " (" + JsonField(d, "group") + ")";
  }
  const nlohmann::json& change = d["infrastructure"];
  const std::string target = JsonField(change, "target");
  return JsonField(change, "action") + (target.empty() ? "" : " to " + target);
}

int ListDeployments(const ReleaseOptions& o) {
  std::string path = fmt::format("/api/v1/deployments?limit={}", o.limit);
  if (!o.environment.empty()) {
    path += "&env=" + UrlEncode(o.environment);
  }
  if (!o.kind.empty()) {
    path += "&kind=" + UrlEncode(o.kind);
  }
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output.empty() ? "table" : o.output,
       .path = path,
       .json_key = "items"},
      [](const nlohmann::json& list, cli::OutputFormat format) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& d : list["items"]) {
          rows.push_back({JsonField(d, "id"), JsonField(d, "kind"), Carries(d),
                          JsonField(d, "environment"), JsonField(d, "state"),
                          JsonField(d, "author"), JsonField(d, "created_at"),
                          JsonField(d, "reason")});
        }
        return cli::PrintRows(
            format, {"ID", "KIND", "WHAT", "ENV", "STATE", "AUTHOR", "CREATED", "REASON"}, rows);
      });
}

std::string Figures(const nlohmann::json& p) {
  if (!p.is_object()) {
    return "-";
  }
  auto one = [&](const char* key, const char* unit) {
    return p[key].is_number() ? fmt::format("{:.4g}{}", p[key].get<double>(), unit)
                              : std::string("-");
  };
  return fmt::format("latency {}, {} requests/min, error rate {}", one("latency_ms", " ms"),
                     one("requests_per_minute", ""), one("error_rate", " %"));
}

// A deployment's facts as `deployments show` lists them (empty ones are left out).
std::vector<std::pair<std::string, std::string>> Facts(const nlohmann::json& d) {
  std::string approvals;
  for (const auto& a : d["approvals"]) {
    approvals += fmt::format("{}{} at {}", approvals.empty() ? "" : "; ", JsonField(a, "by"),
                             JsonField(a, "at"));
  }
  const nlohmann::json& change = d["infrastructure"];
  const bool infrastructure = change.is_object();
  std::string lowers;
  for (const auto& l : infrastructure ? change["lowers"] : nlohmann::json::array()) {
    lowers += (lowers.empty() ? "" : "; ") + l.get<std::string>();
  }
  return {
      {"Author", JsonField(d, "author")},
      {"Promoted from", JsonField(d, "promoted_from")},
      {"Emergency", JsonField(d, "emergency").empty()
                        ? ""
                        : JsonField(d, "emergency") + ": " + JsonField(d, "emergency_reason")},
      {"Config", infrastructure ? JsonField(change, "config_version") : ""},
      {"Lowers", lowers},
      {"Approvals", fmt::format("{} of {} {}", d["approvals"].size(),
                                JsonField(d, "required_approvals"), approvals)},
      {"Window", JsonField(d, "window")},
      {"Window opens", JsonField(d, "window_opens_at")},
      {"Change set", JsonField(d, "change_set")},
      {"Blue", infrastructure ? "" : JsonField(d, "blue")},
      {"Green", infrastructure ? "" : JsonField(d, "green")},
      {"Reason", JsonField(d, "reason")},
      {"Baseline", Figures(d["baseline"])},
      {"After", Figures(d["comparison"])},
  };
}

int ShowDeployment(const ReleaseOptions& o) {
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output.empty() ? "text" : o.output,
       .path = "/api/v1/deployments/" + UrlEncode(o.id)},
      [](const nlohmann::json& d, cli::OutputFormat) {
        std::printf("%s  %s %s to %s: %s\n", JsonField(d, "id").c_str(),
                    JsonField(d, "kind").c_str(), Carries(d).c_str(),
                    JsonField(d, "environment").c_str(), JsonField(d, "state").c_str());
        for (const auto& [name, value] : Facts(d)) {
          if (!value.empty() && value != "-") {
            std::printf("  %-14s %s\n", (name + ":").c_str(), value.c_str());
          }
        }
        if (d["infrastructure"].is_object()) {
          std::printf("  Plan:\n%s", JsonField(d["infrastructure"], "plan").c_str());
        }
        std::printf("  Events:\n");
        for (const auto& e : d["events"]) {
          std::printf("    %s  %-17s %s\n", JsonField(e, "at").c_str(),
                      JsonField(e, "state").c_str(), JsonField(e, "message").c_str());
        }
        return 0;
      });
}

int Watch(const ReleaseOptions& o) {
  auto client = Connect(o);
  if (!client) {
    return cli::ReportError(client.error());
  }
  return Follow(**client, o.id, o.timeout_seconds);
}

// approve, reject, abort: POST and one line of what it is now.
int Act(const ReleaseOptions& o, const std::string& verb) {
  nlohmann::json body = nlohmann::json::object();
  if (!o.comment.empty()) {
    body["comment"] = o.comment;
  }
  return Run(o, "POST", "/api/v1/deployments/" + UrlEncode(o.id) + "/" + verb, body,
             [](const nlohmann::json& d) {
               return fmt::format("{} is {}", JsonField(d, "id"), JsonField(d, "state"));
             });
}

}  // namespace

void AddReleaseCommands(CLI::App& app, ReleaseOptions& o, int& exit_code) {
  auto server = [&o](CLI::App* cmd) {
    cmd->add_option("--server", o.server, "The ec2m server (default: the signed-in one)");
  };
  CLI::App* release = app.add_subcommand("release", "Create and list releases of instance groups");
  release->require_subcommand(1);
  CLI::App* create = release->add_subcommand(
      "create", "Record a release (a new image and/or user data) of a group; prints its id");
  server(create);
  create->add_option("group", o.group, "The instance group (web)")->required();
  create->add_option("--env", o.environment, "The environment whose config it is made against")
      ->required();
  create->add_option("--image", o.image, "The new AMI id");
  create->add_option("--user-data", o.user_data_file, "A file with the new user data");
  create->add_option("--commit", o.commit, "The commit it was built from");
  create->add_option("--branch", o.branch, "The branch it was built from");
  create->add_option("--workflow-url", o.workflow_url, "The CI run that built it");
  create->callback([&] { exit_code = CreateRelease(o); });
  CLI::App* releases =
      release->add_subcommand("list", "Releases, newest first, with where each went");
  server(releases);
  releases->add_option("--limit", o.limit, "How many (1..200)")->check(CLI::Range(1, 200));
  releases->add_option("--output,-o", o.output, "table, json or text");
  releases->callback([&] { exit_code = ListReleases(o); });

  CLI::App* deploy = app.add_subcommand(
      "deploy",
      "Deploy a release to an environment's group (blue-green); prints the deployment's id");
  server(deploy);
  deploy->add_option("env", o.environment, "The environment");
  deploy->add_option("group", o.group, "The instance group");
  deploy->add_option("--release", o.release, "The release (r-N)");
  deploy->add_option("--emergency", o.emergency,
                     "Outside the maintenance window: security-patch, critical-bugfix or "
                     "data-integrity");
  deploy->add_option("--reason", o.reason, "Why (with --emergency)");
  deploy->add_flag("--wait", o.wait, "Follow it; the exit code says how it ended");
  deploy->add_option("--timeout", o.timeout_seconds, "With --wait: give up after N s (exit 10)");
  CLI::App* abort =
      deploy->add_subcommand("abort", "Abort a deployment (rolls back what it launched)");
  server(abort);
  abort->add_option("id", o.id, "The deployment (d-N)")->required();
  abort->callback([&] { exit_code = Act(o, "abort"); });
  deploy->callback([&, deploy] {
    if (!deploy->get_subcommands().empty()) {
      return;
    }
    if (o.environment.empty() || o.group.empty() || o.release.empty()) {
      exit_code =
          cli::ReportError(Error{ErrorCode::kInvalidArgument,
                                 "usage: ec2m deploy ENV GROUP --release ID [--wait]", "", ""});
      return;
    }
    exit_code = Deploy(o);
  });

  CLI::App* deployments = app.add_subcommand("deployments", "List, show and follow deployments");
  deployments->require_subcommand(1);
  CLI::App* list = deployments->add_subcommand("list", "Deployments, newest first");
  server(list);
  list->add_option("--env", o.environment, "Only this environment's");
  list->add_option("--kind", o.kind, "Only releases' or infrastructure changes'")
      ->check(CLI::IsMember({"release", "infrastructure"}));
  list->add_option("--limit", o.limit, "How many (1..1000)")->check(CLI::Range(1, 1000));
  list->add_option("--output,-o", o.output, "table, json or text");
  list->callback([&] { exit_code = ListDeployments(o); });
  CLI::App* show = deployments->add_subcommand("show", "A deployment with its events");
  server(show);
  show->add_option("id", o.id, "The deployment (d-N)")->required();
  show->add_option("--output,-o", o.output, "text or json");
  show->callback([&] { exit_code = ShowDeployment(o); });
  CLI::App* watch = deployments->add_subcommand(
      "watch", "Follow a deployment's events until it ends; the exit code says how");
  server(watch);
  watch->add_option("id", o.id, "The deployment (d-N)")->required();
  watch->add_option("--timeout", o.timeout_seconds, "Give up after N s (exit 10)");
  watch->callback([&] { exit_code = Watch(o); });

  CLI::App* approve = app.add_subcommand("approve", "Approve a deployment waiting for approval");
  server(approve);
  approve->add_option("id", o.id, "The deployment (d-N)")->required();
  approve->add_option("--comment", o.comment, "Why");
  approve->callback([&] { exit_code = Act(o, "approve"); });
  CLI::App* reject = app.add_subcommand("reject", "Reject a deployment waiting for approval");
  server(reject);
  reject->add_option("id", o.id, "The deployment (d-N)")->required();
  reject->add_option("--comment", o.comment, "Why (required)")->required();
  reject->callback([&] { exit_code = Act(o, "reject"); });
}

}  // namespace ec2m::app
