#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "core/random.hpp"
#include "core/store.hpp"
#include "notify/channels.hpp"
#include "notify/transport.hpp"

namespace ec2m::notify {

// One notification's delivery to one channel, as the outbox keeps it.
struct Delivery {
  std::string key;      // "<enqueued ms, 15 digits>/<id>/<channel>": oldest first
  int64_t version = 0;  // of its document
  Notification notification;
  std::string channel;
  std::string state = "pending";  // "pending" | "sending" | "delivered" | "failed"
  int attempts = 0;               // started so far (a claim counts one)
  std::string last_error;
  int64_t enqueued_ms = 0;
  int64_t next_attempt_ms = 0;  // pending: not before this time
  int64_t lease_until_ms = 0;   // sending: the claim holds until then
  std::string claimed_by;       // sending: the claiming process
  int64_t updated_ms = 0;
  int64_t finished_ms = 0;           // delivered or failed
  int64_t github_deployment_id = 0;  // the deployment an earlier attempt created
};

// The delivery as the REST API shows it: id, channel, kind, environment, severity, title,
// state, attempts, last_error and its times (RFC 3339).
nlohmann::json DeliveryJson(const Delivery& d);

struct OutboxOptions {
  int max_attempts = 8;  // then "failed"
  std::chrono::milliseconds first_backoff{std::chrono::seconds(5)};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(15)};
  // How long a claim holds. Longer than any attempt (GitHub's two requests at the transport's
  // timeout), so a live sender never loses its claim; a dead one's entry is retried after it.
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
  // How often the worker looks for work when not woken (other replicas' entries, retries).
  std::chrono::milliseconds poll{std::chrono::seconds(1)};
  // Delivered and failed entries, and the ids that dedupe enqueues, are kept this long.
  std::chrono::hours retention{24 * 7};
  std::chrono::minutes prune_every{60};
  int page = 200;     // documents read per store call
  std::string owner;  // this process in claims; "" = a random id
  // Seals the channels' secrets at rest (borrowed; null: stored as they are).
  const auth::KeyRing* keys = nullptr;
};

// The delay before attempt `attempts + 1` after `attempts` failed ones: first_backoff doubled per
// attempt, capped at max_backoff, then "equal jitter" (uniform in [d/2, d]) so replicas that
// failed together do not retry together.
std::chrono::milliseconds Backoff(int attempts, const OutboxOptions& options, Random& random);

struct DeliveryQuery {
  std::string state;   // "" = every state
  int limit = 100;     // 1..1000
  std::string cursor;  // a next_cursor: continue with entries enqueued before it
  // Only the deliveries it accepts (the caller's view, e.g. the environments a user may see).
  std::function<bool(const Delivery&)> visible;
};

struct DeliveryPage {
  std::vector<Delivery> items;  // newest first
  std::string next_cursor;      // "" at the end
};

// What one DeliverDue pass did.
struct PassReport {
  int delivered = 0;
  int retrying = 0;  // failed, to be tried again
  int failed = 0;    // given up on
  int lost = 0;      // claimed by another process first, or its claim ran out mid-send
};

// The persistent outbox: the Notifier the rest of ec2m hands notifications to.
//
// Enqueue stores the notification (collection "notifications", keyed by id: an id enqueued twice
// is stored once) and one delivery per matching channel (collection "outbox") in one store
// transaction before it returns. A worker then delivers due entries: it claims an entry by
// writing it as "sending" with a lease, under the version it read, so two replicas never send
// the same entry at once and an entry whose claimant died is taken again when the lease ends
// (receivers may see an id twice then; they dedupe on it). A failed attempt is retried after
// Backoff until max_attempts; a delivered or failed entry moves to "outbox_done" in the
// transaction that ends its claim, and is pruned after `retention`.
//
// Thread-safe. Borrows the store, transport, clock and random, which must outlive it; the worker
// (Start) must be stopped before they go (the destructor stops it).
class Outbox final : public Notifier {
 public:
  Outbox(Store& store, Transport& transport, const Clock& clock, Random& random,
         OutboxOptions options = {});
  ~Outbox() override;
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // See Notifier. Also kInvalidArgument naming the field for a notification without a kind or
  // title, with an unknown severity, an id outside [A-Za-z0-9._:@-]{1,200}, a named channel that
  // cannot take its kind, or text that is not UTF-8. Wakes the worker.
  Result<std::string> Enqueue(Notification n) override;

  Channels& channels() { return channels_; }

  // One pass: claims and attempts every entry due at the clock's now, oldest first. Errors: the
  // store's when it cannot list the outbox (an entry's failed write only leaves it to its lease).
  Result<PassReport> DeliverDue();
  // Removes delivered and failed entries finished, and notification ids enqueued, more than
  // `retention` ago; returns how many documents went. Errors: the store's.
  Result<int> Prune();
  // Deliveries newest first. Errors: kInvalidArgument for a limit outside 1..1000 or an unknown
  // state; the store's.
  Result<DeliveryPage> List(const DeliveryQuery& query);

  // The worker: DeliverDue when woken by Enqueue or every `poll`, Prune every `prune_every`.
  // Start is idempotent. Pause returns once the pass in flight has ended and holds the worker
  // until Resume. Stop ends the worker after its pass (idempotent).
  void Start();
  void Pause();
  void Resume();
  void Stop();

  const std::string& owner() const { return options_.owner; }

 private:
  // Attempts the claimed entry `d` and writes how it ended.
  void Attempt(Delivery& d, PassReport& report);
  // Writes `d` in place under its version; false when another process changed it.
  Result<bool> Rewrite(Delivery& d);
  // Moves `d` to "outbox_done" in the transaction that ends its claim.
  Result<bool> Finish(Delivery& d);
  void Loop();
  void RunPass();
  int64_t NowMs() const;

  Store& store_;
  Transport& transport_;
  const Clock& clock_;
  Random& random_;
  OutboxOptions options_;
  Channels channels_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;      // guarded by mu_
  bool paused_ = false;        // guarded by mu_
  bool in_pass_ = false;       // guarded by mu_
  bool wake_ = false;          // guarded by mu_: an Enqueue since the last pass began
  int64_t last_prune_ms_ = 0;  // the worker's own
  std::thread worker_;
};

}  // namespace ec2m::notify
