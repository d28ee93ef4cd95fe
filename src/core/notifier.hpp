#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ec2m {

// One message for people: an alarm's transition, an incident's report or resolution, a
// deployment's outcome. The channels it reaches render it in their own way (a Slack block, a
// Teams card, a mail, a signed JSON body, a GitHub deployment status).
struct Notification {
  // Unique and stable: receivers dedupe on it, and a notification enqueued twice under the same
  // id is stored once. Empty: the notifier assigns one.
  std::string id;
  std::string kind;  // "alarm", "incident.opened", "incident.resolved", "incident.escalated",
                     // "deployment", "test"
  std::string environment;
  std::string severity;  // "critical" | "warning" | "info"
  std::string title;     // one line
  std::string text;      // the body as people read it (templates already rendered)
  // The specification's payload where it applies: environment, status, branch, author, commit,
  // workflow_url; anything else a receiver may want (alarm, incident, state).
  std::map<std::string, std::string> fields;
  // The channels by name. Empty: every channel whose filter takes the notification's kind and
  // environment.
  std::vector<std::string> channels;
};

// Where notifications are handed over. The implementation (notify::Outbox) stores a notification
// before it returns, then delivers it in the background with retries, so a notification accepted
// here is not lost when the process dies. Implementations are thread-safe.
class Notifier {
 public:
  virtual ~Notifier() = default;
  // Stores `n` for delivery and returns its id. Errors: kInvalidArgument when a named channel
  // does not exist; the store's errors (nothing was stored).
  virtual Result<std::string> Enqueue(Notification n) = 0;
};

}  // namespace ec2m
