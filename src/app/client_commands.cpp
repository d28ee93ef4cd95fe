#include "app/client_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/api_client.hpp"
#include "app/terminal_input.hpp"
#include "cli/exit_codes.hpp"
#include "cli/table.hpp"
#include "core/version.hpp"

namespace ec2m::app {

std::string VersionLine() {
  return "ec2m " + std::string(BuildVersion()) + " (commit " + std::string(BuildCommit()) + ")";
}

namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return "";
  }
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int Report(const Result<void>& r) { return r ? 0 : cli::ReportError(r.error()); }

Result<void> Login(const ClientOptions& o) {
  std::string server = o.server;
  if (server.empty()) {
    auto saved = LoadSession("");
    server = saved ? saved->server : "";
  }
  if (server.empty()) {
    server = Prompt("Server URL: ");
  }
  std::string email = o.email.empty() ? Prompt("Email: ") : o.email;
  std::string password;
  if (o.password_stdin) {
    std::getline(std::cin, password);
  } else {
    password = ReadSecret("Password: ");
  }
  ApiClient client(server, "");
  nlohmann::json body = {{"email", email}, {"password", password}};
  if (!o.otp.empty()) {
    body["otp"] = o.otp;
  }
  auto answer = client.Call("POST", "/api/v1/auth/login", body);
  if (!answer && answer.error().message.rfind("otp: an MFA code is required", 0) == 0 &&
      o.otp.empty() && !o.password_stdin) {
    body["otp"] = Prompt("MFA code: ");
    answer = client.Call("POST", "/api/v1/auth/login", body);
  }
  EC2M_RETURN_IF_ERROR(answer);
  EC2M_RETURN_IF_ERROR(SaveSession({server, Str(*answer, "token"), email}));
  std::printf("signed in to %s as %s until %s\n", server.c_str(),
              Str((*answer)["user"], "email").c_str(), Str(*answer, "expires_at").c_str());
  return {};
}

Result<void> Logout(const ClientOptions& o) {
  auto s = LoadSession(o.server);
  if (s) {
    ApiClient client(s->server, s->token);
    (void)client.Call("POST", "/api/v1/auth/logout", nlohmann::json::object());
  }
  EC2M_RETURN_IF_ERROR(ForgetSession());
  std::printf("signed out\n");
  return {};
}

// `ec2m version`: this CLI's version and commit, and the signed-in server's (GET
// /api/v1/version) when there is a session; a warning on stderr when the two differ.
Result<void> Version(const ClientOptions& o) {
  auto format = cli::ParseOutputFormat(o.output);
  EC2M_RETURN_IF_ERROR(format);
  nlohmann::json out = {
      {"client",
       {{"version", std::string(BuildVersion())}, {"commit", std::string(BuildCommit())}}}};
  std::string server_url;
  if (auto s = LoadSession(o.server)) {
    server_url = s->server;
    ApiClient client(s->server, s->token);
    auto server = client.Call("GET", "/api/v1/version");
    EC2M_RETURN_IF_ERROR(server);
    out["server"] = {{"version", Str(*server, "version")}, {"commit", Str(*server, "commit")}};
  }
  if (*format == cli::OutputFormat::kJson) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("client: %s\n", VersionLine().c_str());
    if (out.contains("server")) {
      std::printf("server: ec2m %s (commit %s) at %s\n", Str(out["server"], "version").c_str(),
                  Str(out["server"], "commit").c_str(), server_url.c_str());
    }
  }
  if (out.contains("server") && out["server"] != out["client"]) {
    std::fprintf(stderr,
                 "ec2m: warning: the server runs ec2m %s (commit %s), this CLI is %s (commit "
                 "%s)\n",
                 Str(out["server"], "version").c_str(), Str(out["server"], "commit").c_str(),
                 std::string(BuildVersion()).c_str(), std::string(BuildCommit()).c_str());
  }
  return {};
}

Result<void> Whoami(const ClientOptions& o) {
  auto format = cli::ParseOutputFormat(o.output);
  EC2M_RETURN_IF_ERROR(format);
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  ApiClient client(s->server, s->token);
  auto me = client.Call("GET", "/api/v1/me");
  EC2M_RETURN_IF_ERROR(me);
  if (*format == cli::OutputFormat::kJson) {
    std::printf("%s\n", me->dump(2).c_str());
    return {};
  }
  std::string roles;
  for (const auto& [env, role] : (*me)["roles"].items()) {
    roles += (roles.empty() ? "" : ", ") + env + "=" + role.get<std::string>();
  }
  std::printf("%s on %s\nroles: %s\nmfa: %s\n", Str(*me, "email").c_str(), s->server.c_str(),
              roles.c_str(), (*me)["mfa_enabled"].get<bool>() ? "on" : "off");
  return {};
}

void PrintInstances(const nlohmann::json& items, cli::OutputFormat format) {
  if (format == cli::OutputFormat::kJson) {
    std::printf("%s\n", items.dump(2).c_str());
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(items.size());
  for (const auto& i : items) {
    rows.push_back({Str(i, "id"), Str(i, "env"), Str(i, "name"), Str(i, "state"), Str(i, "type"),
                    Str(i, "zone"), Str(i, "private_ip"), Str(i, "launch_time")});
  }
  cli::PrintRows(
      format, {"INSTANCE", "ENV", "NAME", "STATE", "TYPE", "ZONE", "PRIVATE IP", "LAUNCHED"}, rows);
}

Result<void> ListInstances(const ClientOptions& o) {
  auto format = cli::ParseOutputFormat(o.output);
  EC2M_RETURN_IF_ERROR(format);
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  ApiClient client(s->server, s->token);
  std::string query;
  auto param = [&](const char* name, const std::string& value) {
    if (!value.empty()) {
      query += std::string(query.empty() ? "?" : "&") + name + "=" + UrlEncode(value);
    }
  };
  param("env", o.env);
  param("state", o.state);
  param("type", o.type);
  param("zone", o.zone);
  param("tag", o.tag);
  param("q", o.query);
  param("sort", o.sort);
  nlohmann::json all = nlohmann::json::array();
  std::string cursor;
  for (;;) {
    // Each page asks for what is still wanted (at most the server's 1,000), so --limit 1500
    // prints 1,500: a full page and one of 500.
    const int wanted = o.limit > 0 ? o.limit - static_cast<int>(all.size()) : 1000;
    const std::string page_query = query + (query.empty() ? "?" : "&") +
                                   "limit=" + std::to_string(std::min(wanted, 1000)) +
                                   (cursor.empty() ? "" : "&cursor=" + UrlEncode(cursor));
    auto page = client.Call("GET", "/api/v1/instances" + page_query);
    EC2M_RETURN_IF_ERROR(page);
    for (auto& item : (*page)["items"]) {
      if (o.limit > 0 && static_cast<int>(all.size()) == o.limit) {
        break;
      }
      all.push_back(std::move(item));
    }
    cursor = Str(*page, "next_cursor");
    if (cursor.empty() || (o.limit > 0 && static_cast<int>(all.size()) >= o.limit)) {
      break;
    }
  }
  PrintInstances(all, *format);
  return {};
}

Result<void> ShowInstance(const ClientOptions& o) {
  auto format = cli::ParseOutputFormat(o.output);
  EC2M_RETURN_IF_ERROR(format);
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  ApiClient client(s->server, s->token);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& id : o.ids) {
    auto item = client.Call("GET", "/api/v1/instances/" + UrlEncode(o.env) + "/" + UrlEncode(id));
    EC2M_RETURN_IF_ERROR(item);
    items.push_back(*item);
  }
  PrintInstances(items, *format);
  return {};
}

// Exit code: 0 when every instance took the action, else the first failure's.
int Act(const ClientOptions& o, const std::string& action) {
  auto format = cli::ParseOutputFormat(o.output);
  if (!format) {
    return cli::ReportError(format.error());
  }
  if (action == "terminate" && !o.yes) {
    const std::string typed = Prompt(("Terminate " + std::to_string(o.ids.size()) +
                                      " instance(s) in " + o.env + "? Type terminate to confirm: ")
                                         .c_str());
    if (typed != "terminate") {
      return cli::ReportError(
          Error{ErrorCode::kFailedPrecondition, "not confirmed; nothing was terminated", "", ""});
    }
  }
  auto s = LoadSession(o.server);
  if (!s) {
    return cli::ReportError(s.error());
  }
  ApiClient client(s->server, s->token);
  auto answer = client.Call("POST", "/api/v1/instances/actions",
                            {{"env", o.env}, {"action", action}, {"ids", o.ids}});
  if (!answer) {
    return cli::ReportError(answer.error());
  }
  const auto& results = (*answer)["results"];
  if (*format == cli::OutputFormat::kJson) {
    std::printf("%s\n", results.dump(2).c_str());
  }
  int exit_code = 0;
  for (const auto& r : results) {
    if (r.value("ok", false)) {
      if (*format != cli::OutputFormat::kJson) {
        std::printf("%s: %s -> %s\n", Str(r, "id").c_str(), Str(r, "previous_state").c_str(),
                    Str(r, "state").c_str());
      }
      continue;
    }
    Error e = ErrorFromJson(r["error"]);
    e.message = Str(r, "id") + ": " + e.message;
    const int code = cli::ReportError(e);
    exit_code = exit_code == 0 ? code : exit_code;
  }
  return exit_code;
}

Result<void> Tag(const ClientOptions& o) {
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  nlohmann::json set = nlohmann::json::object();
  for (const auto& kv : o.set_tags) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(ErrorCode::kInvalidArgument, "--set: expected KEY=VALUE, got \"" + kv + "\"");
    }
    set[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  ApiClient client(s->server, s->token);
  for (const auto& id : o.ids) {
    auto item =
        client.Call("PUT", "/api/v1/instances/" + UrlEncode(o.env) + "/" + UrlEncode(id) + "/tags",
                    {{"set", set}, {"remove", o.remove_tags}});
    EC2M_RETURN_IF_ERROR(item);
    std::printf("%s: %s\n", id.c_str(), (*item)["tags"].dump().c_str());
  }
  return {};
}

int AuditVerify(const ClientOptions& o) {
  auto s = LoadSession(o.server);
  if (!s) {
    return cli::ReportError(s.error());
  }
  ApiClient client(s->server, s->token);
  auto report = client.Call("GET", "/api/v1/audit/verify");
  if (!report) {
    return cli::ReportError(report.error());
  }
  if ((*report)["intact"].get<bool>()) {
    std::printf("audit log intact: %s entries, head %s\n", Str(*report, "entries").c_str(),
                Str(*report, "head_hash").c_str());
    return 0;
  }
  // The chain is broken: a failed precondition of the log, exit code 5.
  return cli::ReportError(Error{ErrorCode::kFailedPrecondition,
                                "audit log NOT intact: " + Str(*report, "problem"), "", ""});
}

// Every entry (since `since`) as JSON lines (export) or a table (list).
Result<void> AuditEntries(const ClientOptions& o, bool lines) {
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  ApiClient client(s->server, s->token);
  std::string after = "0";
  std::vector<std::vector<std::string>> rows;
  for (;;) {
    std::string path = "/api/v1/audit?limit=1000&after=" + after;
    if (!o.since.empty()) {
      path += "&since=" + UrlEncode(o.since);
    }
    auto page = client.Call("GET", path);
    EC2M_RETURN_IF_ERROR(page);
    for (const auto& e : (*page)["items"]) {
      if (lines) {
        std::printf("%s\n", e.dump().c_str());
      } else {
        rows.push_back({Str(e, "seq"), Str(e, "time"), Str(e, "actor"), Str(e, "action"),
                        Str(e, "target"), Str(e, "environment"), Str(e, "result")});
      }
    }
    after = Str(*page, "next_cursor");
    if (after.empty()) {
      break;
    }
  }
  if (!lines) {
    std::fputs(cli::RenderTable({"SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "ENV", "RESULT"}, rows)
                   .c_str(),
               stdout);
  }
  return {};
}

}  // namespace

void AddClientCommands(CLI::App& app, ClientOptions& o, int& exit_code) {
  auto server = [&o](CLI::App* cmd) {
    cmd->add_option("--server", o.server, "ec2m server URL (default: the signed-in one)");
  };
  auto output = [&o](CLI::App* cmd) {
    cmd->add_option("--output,-o", o.output, "table, json or text");
  };

  CLI::App* login = app.add_subcommand("login", "Sign in to an ec2m server and keep the token");
  server(login);
  login->add_option("--email", o.email, "Your email (prompted when absent)");
  login->add_flag("--password-stdin", o.password_stdin, "Read the password from stdin");
  login->add_option("--otp", o.otp, "A TOTP or recovery code, for users with MFA");
  login->callback([&] { exit_code = Report(Login(o)); });

  CLI::App* logout = app.add_subcommand("logout", "Sign out and forget the token");
  server(logout);
  logout->callback([&] { exit_code = Report(Logout(o)); });

  CLI::App* version = app.add_subcommand(
      "version", "Show this CLI's version and commit, and the signed-in server's");
  server(version);
  output(version);
  version->callback([&] { exit_code = Report(Version(o)); });

  CLI::App* whoami = app.add_subcommand("whoami", "Show the signed-in user and their roles");
  server(whoami);
  output(whoami);
  whoami->callback([&] { exit_code = Report(Whoami(o)); });

  CLI::App* instances = app.add_subcommand("instances", "List and act on instances");
  instances->require_subcommand(1);
  CLI::App* list = instances->add_subcommand("list", "List instances across environments");
  server(list);
  output(list);
  list->add_option("--env", o.env, "Only this environment");
  list->add_option("--state", o.state, "Only this state (running, stopped, ...)");
  list->add_option("--type", o.type, "Only this instance type");
  list->add_option("--zone", o.zone, "Only this availability zone");
  list->add_option("--tag", o.tag, "Only instances with this tag: KEY=VALUE or KEY");
  list->add_option("--query,-q", o.query, "Text to find in ids, names, addresses and tags");
  list->add_option("--sort", o.sort, "id, name, state, type, zone, env, launch_time; -F descends");
  list->add_option("--limit", o.limit, "Exactly this many, when there are (default: all)")
      ->check(CLI::PositiveNumber);
  list->callback([&] { exit_code = Report(ListInstances(o)); });

  CLI::App* show = instances->add_subcommand("show", "Show instances");
  server(show);
  output(show);
  show->add_option("ids", o.ids, "Instance ids")->required();
  show->add_option("--env", o.env, "Their environment")->required();
  show->callback([&] { exit_code = Report(ShowInstance(o)); });

  for (const char* action : {"start", "stop", "reboot", "terminate"}) {
    CLI::App* cmd = instances->add_subcommand(action, std::string(action) + " instances");
    server(cmd);
    output(cmd);
    cmd->add_option("ids", o.ids, "Instance ids")->required();
    cmd->add_option("--env", o.env, "Their environment")->required();
    if (std::string(action) == "terminate") {
      cmd->add_flag("--yes", o.yes, "Do not ask for confirmation");
    }
    const std::string name = action;
    cmd->callback([&, name] { exit_code = Act(o, name); });
  }
  CLI::App* tag = instances->add_subcommand("tag", "Set or remove tags of instances");
  server(tag);
  tag->add_option("ids", o.ids, "Instance ids")->required();
  tag->add_option("--env", o.env, "Their environment")->required();
  tag->add_option("--set", o.set_tags, "KEY=VALUE to set (repeatable)");
  tag->add_option("--remove", o.remove_tags, "KEY to remove (repeatable)");
  tag->callback([&] { exit_code = Report(Tag(o)); });

  CLI::App* audit = app.add_subcommand("audit", "Check and read the audit log");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check the hash chain; exits 5 naming the first altered, removed or reordered entry");
  server(verify);
  verify->callback([&] { exit_code = AuditVerify(o); });
  CLI::App* exp = audit->add_subcommand("export", "Write entries as JSON lines");
  server(exp);
  exp->add_option("--since", o.since, "Only entries at or after this time (2026-11-27T10:00:00Z)");
  exp->callback([&] { exit_code = Report(AuditEntries(o, true)); });
  CLI::App* alist = audit->add_subcommand("list", "Show entries as a table");
  server(alist);
  alist->add_option("--since", o.since, "Only entries at or after this time");
  alist->callback([&] { exit_code = Report(AuditEntries(o, false)); });
}

}  // namespace ec2m::app
