#include "server/signin_throttle.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json.hpp"

namespace ec2m::server {
namespace {

constexpr const char* kCollection = "signin_throttle";
// Attempts that lose a versioned write to a parallel one read again; each loss means another
// attempt was counted, so this only bounds one request's wait.
constexpr int kMaxRaces = 200;
constexpr int64_t kSweepEveryMs = 60 * 60 * 1000;
constexpr int kSweepPage = 1000;

std::string Body(int failures, int64_t last_ms) {
  return nlohmann::json{{"failures", failures}, {"last_ms", last_ms}}.dump();
}

bool LostRace(const Error& e) {
  return e.code == ErrorCode::kFailedPrecondition || e.code == ErrorCode::kAlreadyExists;
}

}  // namespace

Result<SigninThrottle::Counter> SigninThrottle::Read(std::string key, int64_t now) {
  auto doc = store_.GetDoc(kCollection, key);
  EC2M_RETURN_IF_ERROR(doc);
  Counter c{std::move(key)};
  if (!doc->has_value()) {
    return c;
  }
  c.version = (*doc)->version;
  const nlohmann::json j = ParseJsonOrDiscard((*doc)->body);
  if (j.is_object()) {
    c.failures = j.value("failures", 0);
    c.last_ms = j.value("last_ms", int64_t{0});
  }
  if (now - c.last_ms > policy_.forget_after_ms) {
    c.failures = 0;  // idle long enough: starts again (the document is overwritten)
  }
  return c;
}

int64_t SigninThrottle::NextAllowed(const Counter& c, int free, int64_t max_delay) const {
  if (c.failures < free) {
    return 0;
  }
  const int doublings = std::min(c.failures - free, 40);
  const int64_t delay = std::min(max_delay, policy_.base_delay_ms << std::min(doublings, 30));
  return c.last_ms + delay;
}

Result<SigninThrottle::Ticket> SigninThrottle::Take(const std::string& account,
                                                    const std::string& source, bool trusted) {
  for (int race = 0; race < kMaxRaces; ++race) {
    const int64_t now = ToUnixMillis(clock_.Now());
    auto pair = Read("p/" + account + "/" + source, now);
    EC2M_RETURN_IF_ERROR(pair);
    auto whole = Read("a/" + account, now);
    EC2M_RETURN_IF_ERROR(whole);
    auto from = Read("s/" + source, now);
    EC2M_RETURN_IF_ERROR(from);
    int64_t allowed =
        std::max(NextAllowed(*pair, policy_.pair_free_failures, policy_.pair_max_delay_ms),
                 NextAllowed(*from, policy_.source_free_failures, policy_.source_max_delay_ms));
    if (!trusted) {
      allowed = std::max(allowed, NextAllowed(*whole, policy_.account_free_failures,
                                              policy_.account_max_delay_ms));
    }
    if (allowed > now) {
      const int64_t seconds = (allowed - now + 999) / 1000;
      Error e{ErrorCode::kThrottled,
              fmt::format("too many sign-in attempts: try again in {} s", seconds), "", ""};
      e.retry_after_seconds = seconds;
      return Fail(std::move(e));
    }
    std::vector<DocWrite> writes;
    for (const Counter* c : {&*pair, &*whole, &*from}) {
      writes.push_back({kCollection, c->key, Body(c->failures + 1, now), c->version});
    }
    auto written = store_.WriteDocs(writes);
    if (written) {
      Sweep(now);
      return Ticket{account, source};
    }
    if (!LostRace(written.error())) {
      return Fail(written.error());
    }
  }
  return Fail(ErrorCode::kUnavailable, "sign-in: too many attempts at once; try again");
}

Result<void> SigninThrottle::Refund(const Ticket& ticket, bool signed_in) {
  for (int race = 0; race < kMaxRaces; ++race) {
    const int64_t now = ToUnixMillis(clock_.Now());
    std::vector<DocWrite> writes;
    for (const std::string& key : {"p/" + ticket.account + "/" + ticket.source,
                                   "a/" + ticket.account, "s/" + ticket.source}) {
      auto c = Read(key, now);
      EC2M_RETURN_IF_ERROR(c);
      if (c->version == 0) {
        continue;
      }
      if (signed_in && key.starts_with("p/")) {
        writes.push_back({kCollection, key, std::nullopt, c->version});
      } else {
        writes.push_back(
            {kCollection, key, Body(std::max(c->failures - 1, 0), c->last_ms), c->version});
      }
    }
    auto written = store_.WriteDocs(writes);
    if (written || !LostRace(written.error())) {
      return written ? Result<void>() : Fail(written.error());
    }
  }
  return Fail(ErrorCode::kUnavailable, "sign-in: too many attempts at once; try again");
}

Result<SigninThrottle::AccountState> SigninThrottle::Account(const std::string& account) {
  const int64_t now = ToUnixMillis(clock_.Now());
  auto c = Read("a/" + account, now);
  EC2M_RETURN_IF_ERROR(c);
  return AccountState{c->failures,
                      NextAllowed(*c, policy_.account_free_failures, policy_.account_max_delay_ms)};
}

void SigninThrottle::Sweep(int64_t now) {
  int64_t last = last_sweep_ms_.load();
  if (now - last < kSweepEveryMs || !last_sweep_ms_.compare_exchange_strong(last, now)) {
    return;
  }
  std::lock_guard lock(sweep_mu_);
  auto docs = store_.ListDocs(kCollection, {.after = sweep_after_, .limit = kSweepPage});
  if (!docs) {
    return;  // the next sweep tries again; a stale counter only costs a row meanwhile
  }
  // A page at a time, going round: every counter is looked at within a few sweeps.
  sweep_after_ = static_cast<int>(docs->size()) < kSweepPage ? "" : docs->back().key;
  std::vector<DocWrite> deletes;
  for (const Doc& d : *docs) {
    const nlohmann::json j = ParseJsonOrDiscard(d.body);
    const int64_t last_ms = j.is_object() ? j.value("last_ms", int64_t{0}) : 0;
    if (now - last_ms > policy_.forget_after_ms) {
      deletes.push_back({kCollection, d.key, std::nullopt, d.version});
    }
  }
  if (!deletes.empty()) {
    (void)store_.WriteDocs(deletes);  // a counter that moved meanwhile stays: it is in use
  }
}

}  // namespace ec2m::server
