// The REST API's notification routes (docs/api.md, "Notifications"): channels and the outbox.

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "config/json_object.hpp"
#include "core/text.hpp"
#include "notify/outbox.hpp"
#include "server/api_server.hpp"

namespace ec2m::server {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

Result<notify::Outbox*> Need(notify::Outbox* outbox) {
  if (outbox == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                "notifications are not available: this server runs no notification outbox");
  }
  return outbox;
}

Result<int> Limit(const Call& call) {
  const std::string text = call.Query("limit");
  if (text.empty()) {
    return kDefaultLimit;
  }
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > kMaxLimit) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("limit: expected an integer 1..{}, got {}",
                                                         kMaxLimit, ShownValue(text)));
  }
  return n;
}

std::string Target(const std::string& name) { return "channel:" + name; }

// Whether `user` may see `channel`: a holder of a "*" role sees every channel; anyone else the
// channels whose filter names environments, every one of which they hold a role in (a channel
// without an environment filter carries every environment's notifications and those about none).
bool ChannelVisible(const User& user, const notify::Channel& channel) {
  if (user.roles.count(kAllEnvironments) != 0) {
    return true;
  }
  const std::vector<std::string>& envs = channel.filter.environments;
  return !envs.empty() && std::all_of(envs.begin(), envs.end(), [&user](const std::string& env) {
    return user.RoleIn(env).has_value();
  });
}

// Whether `user` may see a notification about `environment`: one with a role there; one about no
// environment (a channel test, the control plane's own) global admins only.
bool NotificationVisible(const User& user, const std::string& environment) {
  return environment.empty() ? user.admin() : user.RoleIn(environment).has_value();
}

}  // namespace

void ApiServer::AddNotifyRoutes() {
  const Access kSignedIn = Access::kSignedIn;
  const Access kAdmin = Access::kAdmin;
  const Role kViewer = Role::kViewer;
  // The channels the caller may see (ChannelVisible).
  AddRoute("GET", "/api/v1/channels", kSignedIn, kViewer, "list notification channels",
           [this](Call& call) -> Result<Reply> {
             auto outbox = Need(services_.outbox);
             EC2M_RETURN_IF_ERROR(outbox);
             auto channels = (*outbox)->channels().List();
             EC2M_RETURN_IF_ERROR(channels);
             nlohmann::json items = nlohmann::json::array();
             for (const notify::Channel& c : *channels) {
               if (ChannelVisible(call.who->user, c)) {
                 items.push_back(notify::ToJson(c, true));
               }
             }
             return Reply{200, {{"items", items}, {"next_cursor", nullptr}}};
           });
  AddRoute("POST", "/api/v1/channels", kAdmin, kViewer, "add notification channels",
           [this](Call& call) -> Result<Reply> {
             auto outbox = Need(services_.outbox);
             EC2M_RETURN_IF_ERROR(outbox);
             auto body = RequestBody(call);
             EC2M_RETURN_IF_ERROR(body);
             auto channel = notify::ParseChannel(*body);
             EC2M_RETURN_IF_ERROR(channel);
             auto added = (*outbox)->channels().Add(*channel, call.who->user.email);
             AuditAction(call, "channel.create", Target(channel->name),
                         added ? nullptr : &added.error(),
                         std::string(notify::ChannelTypeName(channel->type)));
             EC2M_RETURN_IF_ERROR(added);
             return Reply{201, notify::ToJson(*added, true)};
           });
  AddRoute("GET", "/api/v1/channels/{name}", kSignedIn, kViewer, "show a notification channel",
           [this](Call& call) -> Result<Reply> {
             auto outbox = Need(services_.outbox);
             EC2M_RETURN_IF_ERROR(outbox);
             auto channel = (*outbox)->channels().Get(call.Param("name"));
             EC2M_RETURN_IF_ERROR(channel);
             if (!ChannelVisible(call.who->user, *channel)) {
               // As if it did not exist: its name says nothing about other environments.
               return Fail(ErrorCode::kNotFound, "no channel named " + ShownValue(channel->name));
             }
             return Reply{200, notify::ToJson(*channel, true)};
           });
  AddRoute("DELETE", "/api/v1/channels/{name}", kAdmin, kViewer, "remove notification channels",
           [this](Call& call) -> Result<Reply> {
             auto outbox = Need(services_.outbox);
             EC2M_RETURN_IF_ERROR(outbox);
             const std::string name = call.Param("name");
             auto removed = (*outbox)->channels().Remove(name);
             AuditAction(call, "channel.delete", Target(name),
                         removed ? nullptr : &removed.error());
             EC2M_RETURN_IF_ERROR(removed);
             return Reply{204, nullptr};
           });
  AddRoute("POST", "/api/v1/channels/{name}/test", kAdmin, kViewer,
           "send a test notification to a channel", [this](Call& call) -> Result<Reply> {
             auto outbox = Need(services_.outbox);
             EC2M_RETURN_IF_ERROR(outbox);
             const std::string name = call.Param("name");
             auto channel = (*outbox)->channels().Get(name);
             EC2M_RETURN_IF_ERROR(channel);
             Notification n;
             n.kind = "test";
             n.severity = "info";
             n.title = "ec2m test notification for channel " + name;
             n.text = "Sent by " + call.who->user.email +
                      " to check that this channel reaches you. Nothing needs doing.";
             n.fields = {{"channel", name}, {"requested_by", call.who->user.email}};
             n.channels = {name};
             auto id = (*outbox)->Enqueue(std::move(n));
             AuditAction(call, "channel.test", Target(name), id ? nullptr : &id.error(),
                         id ? *id : "");
             EC2M_RETURN_IF_ERROR(id);
             return Reply{202, {{"id", *id}, {"channel", name}}};
           });
  AddRoute("GET", "/api/v1/notifications", kSignedIn, kViewer, "list notification deliveries",
           [this](Call& call) -> Result<Reply> {
             auto outbox = Need(services_.outbox);
             EC2M_RETURN_IF_ERROR(outbox);
             auto limit = Limit(call);
             EC2M_RETURN_IF_ERROR(limit);
             notify::DeliveryQuery query;
             query.limit = *limit;
             query.state = call.Query("state");
             query.cursor = call.Query("cursor");
             const User& user = call.who->user;
             query.visible = [&user](const notify::Delivery& d) {
               return NotificationVisible(user, d.notification.environment);
             };
             auto page = (*outbox)->List(query);
             EC2M_RETURN_IF_ERROR(page);
             nlohmann::json items = nlohmann::json::array();
             for (const notify::Delivery& d : page->items) {
               items.push_back(notify::DeliveryJson(d));
             }
             return Reply{
                 200,
                 {{"items", items},
                  {"next_cursor", page->next_cursor.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(page->next_cursor)}}};
           });
}

}  // namespace ec2m::server
