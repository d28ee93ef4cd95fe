#include "app/channel_commands.hpp"

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "app/api_client.hpp"
#include "cli/exit_codes.hpp"
#include "cli/table.hpp"

namespace ec2m::app {
namespace {

// A setting of `channels add`: its flag, where CLI11 puts it, its key in the request body and
// the channel types that take it.
struct Setting {
  const char* flag;
  std::string ChannelOptions::*value;
  const char* key;
  std::vector<std::string> types;
  bool list = false;  // comma-separated into a JSON array
};

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"--url", &ChannelOptions::url, "url", {"slack", "teams", "webhook"}},
      {"--secret", &ChannelOptions::secret, "secret", {"webhook"}},
      {"--smtp-url", &ChannelOptions::smtp_url, "smtp_url", {"email"}},
      {"--from", &ChannelOptions::from, "from", {"email"}},
      {"--to", &ChannelOptions::to, "to", {"email"}, true},
      {"--user", &ChannelOptions::user, "user", {"email"}},
      {"--password", &ChannelOptions::password, "password", {"email"}},
      {"--repo", &ChannelOptions::repo, "repo", {"github"}},
      {"--token", &ChannelOptions::token, "token", {"github"}},
      {"--api-url", &ChannelOptions::api_url, "api_url", {"github"}},
  };
  return kSettings;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, comma - start);
    if (!item.empty()) {
      out.push_back(std::move(item));
    }
    start = comma + 1;
  }
  return out;
}

// The server names request-body keys ("request body: $.smtp_url: ..."); the user typed flags.
Error InFlags(Error e) {
  static const std::vector<std::pair<std::string, std::string>> kKeys = {
      {"$.filter.environments", "--env"},
      {"$.filter.kinds", "--kinds"},
      {"$.filter.min_severity", "--min-severity"},
      {"$.smtp_url", "--smtp-url"},
      {"$.api_url", "--api-url"},
      {"$.secret", "--secret"},
      {"$.from", "--from"},
      {"$.to", "--to"},
      {"$.user", "--user"},
      {"$.password", "--password"},
      {"$.repo", "--repo"},
      {"$.token", "--token"},
      {"$.url", "--url"},
      {"$.name", "NAME"},
      {"$.type", "TYPE"}};
  const std::string prefix = "request body: ";
  if (e.message.rfind(prefix, 0) != 0) {
    return e;
  }
  std::string rest = e.message.substr(prefix.size());
  for (const auto& [key, flag] : kKeys) {
    if (rest.rfind(key, 0) == 0) {
      size_t end = key.size();
      if (end < rest.size() && rest[end] == '[') {  // "$.to[1]: ..."
        end = rest.find(']', end) + 1;
      }
      e.message = flag + rest.substr(end);
      return e;
    }
  }
  return e;
}

Result<nlohmann::json> AddBody(const ChannelOptions& o, const std::map<std::string, bool>& given) {
  static const std::vector<std::string> kTypes = {"slack", "teams", "email", "webhook", "github"};
  if (std::find(kTypes.begin(), kTypes.end(), o.type) == kTypes.end()) {
    return Fail(ErrorCode::kInvalidArgument,
                "TYPE: expected slack, teams, email, webhook or github, got \"" + o.type + "\"");
  }
  nlohmann::json body = {{"name", o.name}, {"type", o.type}};
  for (const Setting& s : Settings()) {
    if (!given.at(s.flag)) {
      continue;
    }
    if (std::find(s.types.begin(), s.types.end(), o.type) == s.types.end()) {
      std::string takes;
      for (const Setting& t : Settings()) {
        if (std::find(t.types.begin(), t.types.end(), o.type) != t.types.end()) {
          takes += std::string(takes.empty() ? "" : ", ") + t.flag;
        }
      }
      return Fail(
          ErrorCode::kInvalidArgument,
          fmt::format("{}: not a setting of {} channels (they take {})", s.flag, o.type, takes));
    }
    const std::string& value = o.*(s.value);
    body[s.key] = s.list ? nlohmann::json(SplitList(value)) : nlohmann::json(value);
  }
  nlohmann::json filter = nlohmann::json::object();
  if (!o.environments.empty()) {
    filter["environments"] = SplitList(o.environments);
  }
  if (!o.kinds.empty()) {
    filter["kinds"] = SplitList(o.kinds);
  }
  if (!o.min_severity.empty()) {
    filter["min_severity"] = o.min_severity;
  }
  body["filter"] = filter;
  return body;
}

std::string Where(const nlohmann::json& c) {
  const std::string type = JsonField(c, "type");
  if (type == "email") {
    std::string to;
    for (const auto& address : c.value("to", nlohmann::json::array())) {
      to += (to.empty() ? "" : ",") + address.get<std::string>();
    }
    return JsonField(c, "smtp_url") + " → " + to;
  }
  if (type == "github") {
    return JsonField(c, "repo") + " at " + JsonField(c, "api_url");
  }
  return JsonField(c, "url");
}

std::string FilterText(const nlohmann::json& f) {
  std::string out;
  for (const char* key : {"environments", "kinds"}) {
    if (f.contains(key)) {
      std::string list;
      for (const auto& v : f[key]) {
        list += (list.empty() ? "" : ",") + v.get<std::string>();
      }
      out += (out.empty() ? "" : " ") + std::string(key) + "=" + list;
    }
  }
  if (f.contains("min_severity")) {
    out += (out.empty() ? "" : " ") + std::string(">=") + JsonField(f, "min_severity");
  }
  return out.empty() ? "all" : out;
}

int Add(const ChannelOptions& o, const std::map<std::string, bool>& given) {
  auto body = AddBody(o, given);
  if (!body) {
    return cli::ReportError(body.error());
  }
  auto client = ConnectSignedIn(o.server);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto added = (*client)->Call("POST", "/api/v1/channels", *body);
  if (!added) {
    return cli::ReportError(InFlags(added.error()));
  }
  std::printf("added %s channel %s (%s)\n", JsonField(*added, "type").c_str(),
              JsonField(*added, "name").c_str(), Where(*added).c_str());
  return 0;
}

int List(const ChannelOptions& o) {
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output,
       .path = "/api/v1/channels",
       .json_key = "items"},
      [](const nlohmann::json& list, cli::OutputFormat format) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : list["items"]) {
          rows.push_back({JsonField(c, "name"), JsonField(c, "type"), Where(c),
                          FilterText(c.value("filter", nlohmann::json::object())),
                          JsonField(c, "created_by")});
        }
        return cli::PrintRows(format, {"NAME", "TYPE", "TARGET", "TAKES", "ADDED BY"}, rows);
      });
}

int Remove(const ChannelOptions& o) {
  auto client = ConnectSignedIn(o.server);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto removed = (*client)->Call("DELETE", "/api/v1/channels/" + UrlEncode(o.name));
  if (!removed) {
    return cli::ReportError(removed.error());
  }
  std::printf("removed channel %s\n", o.name.c_str());
  return 0;
}

int Test(const ChannelOptions& o) {
  auto client = ConnectSignedIn(o.server);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto queued = (*client)->Call("POST", "/api/v1/channels/" + UrlEncode(o.name) + "/test");
  if (!queued) {
    return cli::ReportError(queued.error());
  }
  std::printf("%s\n", JsonField(*queued, "id").c_str());
  std::fprintf(stderr,
               "queued a test notification for %s; `ec2m notifications list` shows its delivery\n",
               o.name.c_str());
  return 0;
}

int Notifications(const ChannelOptions& o) {
  std::string path = "/api/v1/notifications?limit=" + std::to_string(o.limit);
  if (!o.state.empty()) {
    path += "&state=" + UrlEncode(o.state);
  }
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output,
       .path = path,
       .json_key = "items",
       .fix_error =
           [](Error e) {
             if (e.message.rfind("state: ", 0) == 0) {
               e.message = "--" + e.message;
             }
             return e;
           }},
      [](const nlohmann::json& list, cli::OutputFormat format) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& d : list["items"]) {
          rows.push_back({JsonField(d, "id"), JsonField(d, "channel"), JsonField(d, "kind"),
                          JsonField(d, "environment"), JsonField(d, "state"),
                          JsonField(d, "attempts"), JsonField(d, "enqueued_at"),
                          JsonField(d, "last_error")});
        }
        return cli::PrintRows(
            format, {"ID", "CHANNEL", "KIND", "ENV", "STATE", "ATTEMPTS", "ENQUEUED", "LAST ERROR"},
            rows);
      });
}

}  // namespace

void AddChannelCommands(CLI::App& app, ChannelOptions& o, int& exit_code) {
  auto server = [&o](CLI::App* cmd) {
    cmd->add_option("--server", o.server, "The ec2m server (default: the signed-in one)");
  };
  CLI::App* channels = app.add_subcommand("channels", "Where notifications go");
  channels->require_subcommand(1);

  CLI::App* add = channels->add_subcommand(
      "add", "Add a channel: slack|teams|email|webhook|github NAME with its settings");
  add->add_option("type", o.type, "slack, teams, email, webhook or github")->required();
  add->add_option("name", o.name, "The channel's name (a-z, 0-9, -, _)")->required();
  auto options = std::make_shared<std::map<std::string, CLI::Option*>>();
  const std::map<std::string, std::string> help = {
      {"--url", "Webhook URL (slack, teams, webhook)"},
      {"--secret", "HMAC-SHA256 key of X-Ec2m-Signature (webhook; 16+ characters)"},
      {"--smtp-url", "smtp://HOST:PORT or smtps://HOST:PORT (email)"},
      {"--from", "Sender address (email)"},
      {"--to", "Recipients, comma-separated (email)"},
      {"--user", "SMTP login (email)"},
      {"--password", "SMTP password (email; sent only over TLS)"},
      {"--repo", "OWNER/NAME (github)"},
      {"--token", "A token that may create deployments (github)"},
      {"--api-url", "The GitHub API (github; default https://api.github.com)"}};
  for (const Setting& s : Settings()) {
    (*options)[s.flag] = add->add_option(s.flag, o.*(s.value), help.at(s.flag));
  }
  add->add_option("--env", o.environments, "Only these environments, comma-separated");
  add->add_option("--kinds", o.kinds,
                  "Only these kinds, comma-separated: alarm, incident, incident.opened, "
                  "incident.resolved, incident.escalated, deployment, test");
  add->add_option("--min-severity", o.min_severity, "Only at least: info, warning or critical");
  server(add);
  add->callback([&o, &exit_code, options] {
    std::map<std::string, bool> given;
    for (const auto& [flag, option] : *options) {
      given[flag] = option->count() > 0;
    }
    exit_code = Add(o, given);
  });

  CLI::App* list = channels->add_subcommand("list", "The channels (secrets masked)");
  list->add_option("--output,-o", o.output, "table, json or text");
  server(list);
  list->callback([&o, &exit_code] { exit_code = List(o); });

  CLI::App* remove = channels->add_subcommand("remove", "Remove a channel");
  remove->add_option("name", o.name, "The channel")->required();
  server(remove);
  remove->callback([&o, &exit_code] { exit_code = Remove(o); });

  CLI::App* test =
      channels->add_subcommand("test", "Queue a test notification for a channel; prints its id");
  test->add_option("name", o.name, "The channel")->required();
  server(test);
  test->callback([&o, &exit_code] { exit_code = Test(o); });

  CLI::App* notifications =
      app.add_subcommand("notifications", "The notification outbox: deliveries and their state");
  notifications->require_subcommand(1);
  CLI::App* deliveries = notifications->add_subcommand("list", "Newest first");
  deliveries->add_option("--state", o.state, "pending, sending, delivered or failed");
  deliveries->add_option("--limit", o.limit, "How many (1..1000)")->check(CLI::Range(1, 1000));
  deliveries->add_option("--output,-o", o.output, "table, json or text");
  server(deliveries);
  deliveries->callback([&o, &exit_code] { exit_code = Notifications(o); });
}

}  // namespace ec2m::app
