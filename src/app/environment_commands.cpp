#include "app/environment_commands.hpp"

#include <fmt/core.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "app/api_client.hpp"
#include "app/deployment_follow.hpp"
#include "cli/exit_codes.hpp"
#include "cli/table.hpp"
#include "cloud/aws/aws_config.hpp"
#include "config/environment.hpp"
#include "stack/compliance.hpp"

namespace ec2m::app {
namespace {

// Exit codes beside the request errors' (cli/exit_codes.hpp).
constexpr int kFailed = 1;   // the apply failed, or the user did not confirm
constexpr int kWarning = 1;  // status WARNING
constexpr int kUnhealthy = 2;
constexpr int kDrifted = 2;
constexpr auto kFollowEvery = std::chrono::milliseconds(500);

// A line typed on the terminal; nullopt without one (never waits on a pipe or /dev/null).
std::optional<std::string> Ask(const std::string& prompt) {
  if (isatty(STDIN_FILENO) == 0) {
    return std::nullopt;
  }
  std::fprintf(stderr, "%s\n", prompt.c_str());
  std::string line;
  if (!std::getline(std::cin, line)) {
    return std::string();
  }
  return line;
}

int NotConfirmed(const std::string& what) {
  std::fprintf(stderr, "ec2m: %s\n", what.c_str());
  return kFailed;
}

struct Connected {
  Session session;
  std::unique_ptr<ApiClient> client;
};

Result<Connected> Connect(const EnvironmentOptions& o) {
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  auto client = std::make_unique<ApiClient>(s->server, s->token);
  return Connected{*s, std::move(client)};
}

std::string EnvPath(const EnvironmentOptions& o, const std::string& rest) {
  return "/api/v1/environments/" + UrlEncode(o.environment) + rest;
}

// Prints the journal entries not printed yet, then returns the change set once it stopped
// applying.
Result<nlohmann::json> Follow(ApiClient& client, const EnvironmentOptions& o,
                              const std::string& id) {
  std::set<std::pair<int, std::string>> shown;
  for (;;) {
    auto cs = client.Call("GET", EnvPath(o, "/changesets/" + UrlEncode(id)));
    EC2M_RETURN_IF_ERROR(cs);
    for (const auto& step : (*cs)["journal"]) {
      const std::string status = JsonField(step, "status");
      const int seq = step.value("seq", 0);
      if (status == "pending" || !shown.insert({seq, status}).second) {
        continue;
      }
      std::string line =
          fmt::format("  [{:>3}] {:<8} {} {}", seq, status == "done" ? "done" : "FAILED",
                      JsonField(step, "action"), JsonField(step, "logical_id"));
      if (!JsonField(step, "physical_id").empty()) {
        line += " " + JsonField(step, "physical_id");
      }
      if (!JsonField(step, "error").empty()) {
        line += ": " + JsonField(step, "error");
      }
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    }
    if (JsonField(*cs, "status") != "applying") {
      return cs;
    }
    std::this_thread::sleep_for(kFollowEvery);
  }
}

// The credentials the environment's cloud needs: the simulated region's test keys, or the AWS
// profile's (--profile, else the config's cloud.profile) resolved as the AWS CLI would.
Result<std::string> CheckCredentials(const config::EnvironmentConfig& env,
                                     const EnvironmentOptions& o) {
  if (env.cloud.provider == "sim") {
    return std::string("the simulated region (test keys)");
  }
  aws::SettingsRequest req;
  req.profile = o.profile.empty() ? env.cloud.profile : o.profile;
  req.region = env.region;
  auto settings = aws::ResolveSettings(req, aws::ProcessEnvironment());
  if (!settings) {
    Error e = settings.error();
    e.message = "credentials: " + e.message;
    return Fail(std::move(e));
  }
  if (settings->credentials.access_key_id.empty()) {
    return Fail(ErrorCode::kUnauthenticated,
                "credentials: none found for profile " + settings->profile);
  }
  return "profile " + settings->profile + " (" + settings->source + ")";
}

// After an apply: the health checks, then ENV.env and ENV.outputs.json in the outputs folder.
int AfterApply(ApiClient& client, const EnvironmentOptions& o, const nlohmann::json& cs) {
  std::printf("%s %s: %s\n", JsonField(cs, "id").c_str(), JsonField(cs, "status").c_str(),
              JsonField(cs, "result").c_str());
  if (JsonField(cs, "status") != "succeeded") {
    return kFailed;
  }
  auto status = client.Call("GET", EnvPath(o, "/status"));
  if (status) {
    std::printf("health: %s\n", JsonField(*status, "status").c_str());
    for (const auto& c : (*status)["checks"]) {
      std::printf("  %-15s %-9s %s\n", JsonField(c, "category").c_str(),
                  JsonField(c, "status").c_str(), JsonField(c, "summary").c_str());
    }
  }
  auto resources = client.Call("GET", EnvPath(o, "/resources"));
  if (!resources) {
    return cli::ReportError(resources.error());
  }
  std::error_code ec;
  std::filesystem::create_directories(o.outputs_dir, ec);
  const std::string env_file = o.outputs_dir + "/" + o.environment + ".env";
  const std::string outputs_file = o.outputs_dir + "/" + o.environment + ".outputs.json";
  std::ofstream env_out(env_file);
  env_out << "EC2M_ENVIRONMENT=" << o.environment << "\nEC2M_CHANGE_SET=" << JsonField(cs, "id")
          << "\nEC2M_CONFIG_VERSION=" << JsonField(cs, "config_version") << "\n";
  std::map<std::string, std::string> ids;
  std::string instances;
  for (const auto& r : (*resources)["items"]) {
    ids[JsonField(r, "logical_id")] = JsonField(r, "physical_id");
    if (JsonField(r, "type") == "AWS::EC2::Instance") {
      instances += (instances.empty() ? "" : ",") + JsonField(r, "physical_id");
    } else {
      std::string key = JsonField(r, "logical_id");
      for (char& c : key) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      env_out << "EC2M_" << key << "_ID=" << JsonField(r, "physical_id") << "\n";
    }
  }
  env_out << "EC2M_INSTANCE_IDS=" << instances << "\n";
  const nlohmann::json outputs = {{"environment", o.environment},
                                  {"change_set", JsonField(cs, "id")},
                                  {"config_version", JsonField(cs, "config_version")},
                                  {"finished_at", JsonField(cs, "finished_at")},
                                  {"resources", (*resources)["items"]}};
  std::ofstream(outputs_file) << outputs.dump(2) << "\n";
  if (!env_out) {
    std::fprintf(stderr, "ec2m: %s: cannot be written\n", env_file.c_str());
    return kFailed;
  }
  std::printf("wrote %s and %s\n", env_file.c_str(), outputs_file.c_str());
  return 0;
}

// A change the server holds for approval (the answer's "deployment": the environment's config
// in force requires approval): says so and, with --wait, follows it as `ec2m deploy --wait`
// does, then its apply as a direct one. Returns the exit code (cli::kExitAwaitingApproval
// without --wait).
int Held(ApiClient& client, const EnvironmentOptions& o, const nlohmann::json& d) {
  const std::string id = JsonField(d, "id");
  const std::string window = JsonField(d, "window");
  std::printf(
      "%s awaits approval: %s approval(s) by an approver other than %s, then the maintenance "
      "window (%s); `ec2m approve %s` (approver role), `ec2m deployments watch %s` follows it\n",
      id.c_str(), JsonField(d, "required_approvals").c_str(), JsonField(d, "author").c_str(),
      window.empty() ? "any time" : window.c_str(), id.c_str(), id.c_str());
  std::fflush(stdout);
  if (!o.wait) {
    return cli::kExitAwaitingApproval;
  }
  const Followed followed = FollowDeployment(client, id, o.timeout_seconds);
  if (followed.deployment.is_null() || followed.exit_code != 0) {
    return followed.exit_code;
  }
  const std::string cs = JsonField(followed.deployment, "change_set");
  if (cs.empty()) {
    return 0;  // approved, and nothing was left to do
  }
  auto done = client.Call("GET", EnvPath(o, "/changesets/" + UrlEncode(cs)));
  if (!done) {
    return cli::ReportError(done.error());
  }
  return AfterApply(client, o, *done);
}

int Provision(const EnvironmentOptions& o) {
  const std::string path = o.config_dir + "/" + o.environment + ".json";
  auto file = config::ReadEnvironmentFile(path);
  if (!file) {
    return cli::ReportError(file.error());
  }
  auto credentials = CheckCredentials(file->config, o);
  if (!credentials) {
    return cli::ReportError(credentials.error());
  }
  auto c = Connect(o);
  if (!c) {
    return cli::ReportError(c.error());
  }
  std::printf("credentials: %s; server %s as %s\n", credentials->c_str(), c->session.server.c_str(),
              c->session.email.c_str());
  const nlohmann::json body = {{"config", file->text},
                               {"allow_delete_retained", o.allow_delete_retained}};
  auto history = c->client->Call("GET", EnvPath(o, "/changesets?limit=1"));
  if (!history) {
    return cli::ReportError(history.error());
  }
  const bool exists = !(*history)["items"].empty();
  auto plan = c->client->Call("POST", EnvPath(o, "/plan"), body);
  if (!plan) {
    return cli::ReportError(plan.error());
  }
  std::printf("%s", JsonField(*plan, "rendered").c_str());
  if ((*plan)["plan"]["changes"].empty()) {
    if (!(*plan).value("config_changed", false)) {
      std::printf("No changes: %s is as %s says.\n", o.environment.c_str(), path.c_str());
      return 0;
    }
    std::printf(
        "No resource changes; the config itself changed (its rules, alarms or "
        "settings): it is recorded as a change set.\n");
  }
  if ((*plan)["plan"]["summary"].value("refused", false)) {
    std::fprintf(stderr, "ec2m: the plan deletes retained resources; nothing was changed\n");
    return kFailed;
  }
  if (!exists) {
    std::printf("Bootstrapping %s: nothing has been applied to it yet.\n", o.environment.c_str());
  }
  if (stack::IsProduction(o.environment) && !o.yes) {
    std::printf("⚠️  PRODUCTION DEPLOYMENT\n");
    std::fflush(stdout);
    auto answer = Ask("❓ Are you sure? (y/N)");
    if (!answer) {
      return NotConfirmed("production: no terminal to confirm on; pass --yes to deploy");
    }
    if (*answer != "y" && *answer != "Y") {
      return NotConfirmed("not confirmed; nothing was changed");
    }
  } else if (exists && !o.yes) {
    std::fflush(stdout);
    auto answer = Ask("Apply these changes to " + o.environment + "? (y/N)");
    if (!answer) {
      return NotConfirmed(o.environment + " exists: no terminal to confirm on; pass --yes");
    }
    if (*answer != "y" && *answer != "Y") {
      return NotConfirmed("not confirmed; nothing was changed");
    }
  }
  auto started = c->client->Call("POST", EnvPath(o, "/provision"), body);
  if (!started) {
    return cli::ReportError(started.error());
  }
  if ((*started)["deployment"].is_object()) {
    return Held(*c->client, o, (*started)["deployment"]);
  }
  if ((*started)["changeset"].is_null()) {
    std::printf("No changes.\n");
    return 0;
  }
  const std::string id = JsonField((*started)["changeset"], "id");
  std::printf("%s applying (%s)\n", id.c_str(),
              JsonField((*started)["plan"]["summary"], "create").c_str());
  if (o.no_wait) {
    return 0;
  }
  auto done = Follow(*c->client, o, id);
  if (!done) {
    return cli::ReportError(done.error());
  }
  return AfterApply(*c->client, o, *done);
}

int Rollback(const EnvironmentOptions& o) {
  auto c = Connect(o);
  if (!c) {
    return cli::ReportError(c.error());
  }
  std::string confirm = o.confirm;
  if (stack::IsProduction(o.environment)) {
    if (confirm != "ROLLBACK") {
      std::printf("⚠️  WARNING: PRODUCTION rollback!\n");
      std::fflush(stdout);
      auto typed = Ask("❓ Type 'ROLLBACK' to confirm:");
      if (!typed) {
        return NotConfirmed("production: no terminal to confirm on; pass --confirm ROLLBACK");
      }
      if (*typed != "ROLLBACK") {
        return NotConfirmed("not confirmed; nothing was changed");
      }
      confirm = "ROLLBACK";
    }
  } else if (!o.yes) {
    auto answer = Ask("Roll " + o.environment + " back to " + o.target + "? (y/N)");
    if (!answer) {
      return NotConfirmed("no terminal to confirm on; pass --yes");
    }
    if (*answer != "y" && *answer != "Y") {
      return NotConfirmed("not confirmed; nothing was changed");
    }
  }
  nlohmann::json body = {{"target", o.target}};
  if (!confirm.empty()) {
    body["confirm"] = confirm;
  }
  auto started = c->client->Call("POST", EnvPath(o, "/rollback"), body);
  if (!started) {
    return cli::ReportError(started.error());
  }
  std::printf("%s", JsonField(*started, "rendered").c_str());
  if ((*started)["deployment"].is_object()) {
    return Held(*c->client, o, (*started)["deployment"]);
  }
  if ((*started)["changeset"].is_null()) {
    std::printf("No changes: %s already matches %s.\n", o.environment.c_str(), o.target.c_str());
    return 0;
  }
  const std::string id = JsonField((*started)["changeset"], "id");
  std::printf("%s rolling back to %s (the current state was backed up first)\n", id.c_str(),
              JsonField((*started)["changeset"], "rollback_of").c_str());
  auto done = Follow(*c->client, o, id);
  if (!done) {
    return cli::ReportError(done.error());
  }
  return AfterApply(*c->client, o, *done);
}

int Status(const EnvironmentOptions& o) {
  auto c = Connect(o);
  if (!c) {
    return cli::ReportError(c.error());
  }
  auto report = c->client->Call("GET", EnvPath(o, "/status?check=" + UrlEncode(o.check)));
  if (!report) {
    return cli::ReportError(report.error());
  }
  if (o.json) {
    std::printf("%s\n", report->dump(2).c_str());
  } else {
    std::printf("%s: %s\n", o.environment.c_str(), JsonField(*report, "status").c_str());
    for (const auto& check : (*report)["checks"]) {
      std::printf("  %-15s %-9s %s\n", JsonField(check, "category").c_str(),
                  JsonField(check, "status").c_str(), JsonField(check, "summary").c_str());
      for (const auto& d : check["details"]) {
        std::printf("      %s\n", d.get<std::string>().c_str());
      }
    }
  }
  const std::string status = JsonField(*report, "status");
  if (status == "UNHEALTHY") {
    return kUnhealthy;
  }
  return status == "WARNING" ? kWarning : 0;
}

int Drift(const EnvironmentOptions& o) {
  auto c = Connect(o);
  if (!c) {
    return cli::ReportError(c.error());
  }
  auto drift = c->client->Call("GET", EnvPath(o, "/drift"));
  if (!drift) {
    return cli::ReportError(drift.error());
  }
  if (o.json) {
    std::printf("%s\n", drift->dump(2).c_str());
  } else {
    for (const auto& d : (*drift)["items"]) {
      std::printf("%-10s %s (%s) %s\n", JsonField(d, "kind").c_str(),
                  JsonField(d, "logical_id").c_str(), JsonField(d, "type").c_str(),
                  JsonField(d, "physical_id").c_str());
      for (const auto& p : d["properties"]) {
        std::printf("      %s: expected %s, found %s\n", JsonField(p, "property").c_str(),
                    JsonField(p, "expected").c_str(), JsonField(p, "actual").c_str());
      }
    }
    std::printf("%s: %d resource(s) drifted\n", o.environment.c_str(),
                (*drift).value("drifted", 0));
  }
  return (*drift).value("drifted", 0) > 0 ? kDrifted : 0;
}

int Unlock(const EnvironmentOptions& o) {
  auto c = Connect(o);
  if (!c) {
    return cli::ReportError(c.error());
  }
  auto held = c->client->Call("GET", EnvPath(o, "/lock"));
  if (!held) {
    return cli::ReportError(held.error());
  }
  if (!(*held).value("locked", false)) {
    std::printf("%s is not locked\n", o.environment.c_str());
    return 0;
  }
  std::printf("%s is locked by %s since %s (%s s ago, last heard from %s s ago)\n",
              o.environment.c_str(), JsonField(*held, "owner").c_str(),
              JsonField(*held, "acquired_at").c_str(), JsonField(*held, "age_seconds").c_str(),
              JsonField(*held, "idle_seconds").c_str());
  if (!o.yes) {
    std::fflush(stdout);
    auto typed = Ask("Unlocking while that apply still runs lets two applies race. Type " +
                     o.environment + " to unlock:");
    if (!typed) {
      return NotConfirmed("no terminal to confirm on; pass --yes");
    }
    if (*typed != o.environment) {
      return NotConfirmed("not confirmed; the lock stays");
    }
  }
  auto broken = c->client->Call("DELETE", EnvPath(o, "/lock"));
  if (!broken) {
    return cli::ReportError(broken.error());
  }
  std::printf("unlocked %s (was held by %s)\n", o.environment.c_str(),
              JsonField(*broken, "owner").c_str());
  return 0;
}

int ListChangeSets(const EnvironmentOptions& o) {
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output,
       .path = EnvPath(o, "/changesets?limit=" + std::to_string(o.limit)),
       .json_key = "items"},
      [](const nlohmann::json& list, cli::OutputFormat format) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& cs : list["items"]) {
          const auto& s = cs["summary"];
          rows.push_back(
              {JsonField(cs, "id"), JsonField(cs, "status"), JsonField(cs, "author"),
               JsonField(cs, "created_at"),
               fmt::format("+{} ~{} -/+{} -{}", s.value("create", 0), s.value("update", 0),
                           s.value("replace", 0), s.value("delete", 0)),
               JsonField(cs, "rollback_of"), JsonField(cs, "config_version")});
        }
        return cli::PrintRows(
            format, {"ID", "STATUS", "AUTHOR", "CREATED", "CHANGES", "ROLLBACK OF", "CONFIG"},
            rows);
      });
}

int ShowChangeSet(EnvironmentOptions o) {
  const size_t dash = o.id.rfind('-');
  if (o.id.rfind("cs-", 0) != 0 || dash == std::string::npos || dash <= 3) {
    return cli::ReportError(
        Error{ErrorCode::kInvalidArgument,
              "\"" + o.id + "\" is not a change set id (cs-<environment>-<number>)", "", ""});
  }
  o.environment = o.id.substr(3, dash - 3);
  auto c = Connect(o);
  if (!c) {
    return cli::ReportError(c.error());
  }
  auto cs = c->client->Call("GET", EnvPath(o, "/changesets/" + UrlEncode(o.id)));
  if (!cs) {
    return cli::ReportError(cs.error());
  }
  if (o.output == "json") {
    std::printf("%s\n", cs->dump(2).c_str());
    return 0;
  }
  std::printf("%s  %s  by %s at %s  config %s%s\n%s\n", JsonField(*cs, "id").c_str(),
              JsonField(*cs, "status").c_str(), JsonField(*cs, "author").c_str(),
              JsonField(*cs, "created_at").c_str(), JsonField(*cs, "config_version").c_str(),
              JsonField(*cs, "rollback_of").empty()
                  ? ""
                  : ("  rollback to " + JsonField(*cs, "rollback_of")).c_str(),
              JsonField(*cs, "result").c_str());
  for (const auto& step : (*cs)["journal"]) {
    std::printf("  [%3d] %-7s %s %s %s%s\n", step.value("seq", 0),
                JsonField(step, "status").c_str(), JsonField(step, "action").c_str(),
                JsonField(step, "logical_id").c_str(), JsonField(step, "physical_id").c_str(),
                JsonField(step, "error").empty() ? "" : (": " + JsonField(step, "error")).c_str());
  }
  return 0;
}

}  // namespace

void AddEnvironmentCommands(CLI::App& app, EnvironmentOptions& o, int& exit_code) {
  auto env = [&o](CLI::App* cmd) {
    cmd->add_option("environment", o.environment, "The environment")->required();
    cmd->add_option("--server", o.server, "The ec2m server (default: the signed-in one)");
  };
  CLI::App* provision = app.add_subcommand(
      "provision", "Apply an environment's config (CONFIG_DIR/ENV.json) through the server");
  env(provision);
  provision->add_option("--config-dir", o.config_dir, "Where the environment configs are")
      ->capture_default_str();
  provision->add_option("--profile", o.profile, "AWS profile whose credentials are checked");
  provision->add_option("--outputs-dir", o.outputs_dir, "Where ENV.env and ENV.outputs.json go")
      ->capture_default_str();
  provision->add_flag("--yes,-y", o.yes, "Do not ask for confirmation (automation)");
  provision->add_flag("--allow-delete-retained", o.allow_delete_retained,
                      "Allow deleting RETAIN resources");
  provision->add_flag("--no-wait", o.no_wait, "Start the apply and return");
  provision->add_flag("--wait", o.wait,
                      "Where approval is required: wait for it, the window and the apply (else "
                      "exit 11 once the change is held)");
  provision->add_option("--timeout", o.timeout_seconds, "With --wait: give up after N s (exit 10)");
  provision->callback([&] { exit_code = Provision(o); });

  CLI::App* rollback = app.add_subcommand(
      "rollback", "Return an environment to an earlier change set or point in time");
  env(rollback);
  rollback->add_option("target", o.target,
                       "previous (default), a change set id, or an RFC 3339 UTC time");
  rollback->add_option("--profile", o.profile, "AWS profile (accepted for the script's usage)");
  rollback->add_option("--confirm", o.confirm, "ROLLBACK: confirm a production rollback");
  rollback->add_option("--outputs-dir", o.outputs_dir, "Where ENV.env and ENV.outputs.json go")
      ->capture_default_str();
  rollback->add_flag("--yes,-y", o.yes, "Do not ask for confirmation (not for prod)");
  rollback->add_flag("--wait", o.wait,
                     "Where approval is required: wait for it, the window and the apply (else "
                     "exit 11 once the change is held)");
  rollback->add_option("--timeout", o.timeout_seconds, "With --wait: give up after N s (exit 10)");
  rollback->callback([&] { exit_code = Rollback(o); });

  CLI::App* status = app.add_subcommand(
      "status", "Check an environment (exit 0 HEALTHY/DEPLOYING, 1 WARNING, 2 UNHEALTHY)");
  env(status);
  status->add_option("check", o.check, "all, infrastructure, application, monitoring, security")
      ->check(CLI::IsMember({"all", "infrastructure", "application", "monitoring", "security"}));
  status->add_option("--profile", o.profile, "AWS profile (accepted for the script's usage)");
  status->add_flag("--json", o.json, "The report as JSON");
  status->callback([&] { exit_code = Status(o); });

  CLI::App* drift = app.add_subcommand(
      "drift", "Resources changed or deleted outside ec2m (exit 0 none, 2 drifted)");
  env(drift);
  drift->add_flag("--json", o.json, "As JSON");
  drift->callback([&] { exit_code = Drift(o); });

  CLI::App* unlock =
      app.add_subcommand("unlock", "Break an environment's apply lock (asks to type its name)");
  env(unlock);
  unlock->add_flag("--yes,-y", o.yes, "Do not ask for confirmation");
  unlock->callback([&] { exit_code = Unlock(o); });

  CLI::App* changesets = app.add_subcommand("changesets", "An environment's change sets");
  changesets->require_subcommand(1);
  CLI::App* list = changesets->add_subcommand("list", "Newest first");
  env(list);
  list->add_option("--limit", o.limit, "How many (1..1000)")->check(CLI::Range(1, 1000));
  list->add_option("--output,-o", o.output, "table, json or text");
  list->callback([&] { exit_code = ListChangeSets(o); });
  CLI::App* show = changesets->add_subcommand("show", "One change set with its journal");
  show->add_option("id", o.id, "cs-ENV-N")->required();
  show->add_option("--server", o.server, "The ec2m server (default: the signed-in one)");
  show->add_option("--output,-o", o.output, "text or json");
  show->callback([&] { exit_code = ShowChangeSet(o); });
}

}  // namespace ec2m::app
