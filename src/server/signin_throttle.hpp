#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/store.hpp"

namespace ec2m::server {

// How sign-in attempts are slowed (docs/security.md states the bound this gives). Each counter
// allows `*_free_failures` failures at once; after that every further attempt waits
// base_delay_ms × 2^(failures − free), up to the counter's maximum, from the last failure.
struct ThrottlePolicy {
  int pair_free_failures = 5;      // one address against one account
  int account_free_failures = 10;  // one account, from addresses it never signed in from
  int source_free_failures = 20;   // one address, against any accounts
  int64_t base_delay_ms = 1000;
  int64_t pair_max_delay_ms = 15 * 60 * 1000;
  int64_t account_max_delay_ms = 60 * 1000;
  int64_t source_max_delay_ms = 15 * 60 * 1000;
  int64_t forget_after_ms = 24 * 60 * 60 * 1000;  // a counter idle this long starts again
};

// Sign-in throttling in the manner of GitLab and Okta, which cannot be turned into a lockout of
// the real user: instead of locking an account after N failures, attempts are slowed per address
// and account (so one attacker address slows only itself), per address (so it cannot spray many
// accounts) and per account from untrusted addresses (so many attacker addresses together stay
// bounded), while an address the account signed in from before ("trusted") is never slowed by
// others' failures. Unknown accounts are counted exactly like real ones: the answers do not tell
// them apart.
//
// Counters are store documents (collection "signin_throttle"), each attempt taken with a
// versioned write before the password is checked: parallel attempts each win or lose that write,
// so 64 at once count 64, and the delays hold across threads and replicas. Thread-safe if the
// store is; borrows both.
class SigninThrottle {
 public:
  // One taken attempt, counted as a failure until Refund says otherwise.
  struct Ticket {
    std::string account;
    std::string source;
  };
  struct AccountState {
    int failures = 0;           // counted failures not yet forgotten
    int64_t next_untrusted_ms;  // when an untrusted address may try again (≤ now: at once)
  };

  SigninThrottle(Store& store, const Clock& clock, ThrottlePolicy policy = {})
      : store_(store), clock_(clock), policy_(policy) {}

  // Takes one attempt of `source` on `account` (an email, real or not), `trusted` when the
  // account signed in from `source` before. Errors: kThrottled "too many sign-in attempts: try
  // again in N s" with retry_after_seconds (nothing counted); the store's.
  Result<Ticket> Take(const std::string& account, const std::string& source, bool trusted);
  // The attempt was not a failure after all: the password was right. `signed_in` also clears the
  // address's counter on the account (a second factor still to come leaves it).
  Result<void> Refund(const Ticket& ticket, bool signed_in);
  Result<AccountState> Account(const std::string& account);

  const ThrottlePolicy& policy() const { return policy_; }

 private:
  struct Counter {
    std::string key;
    int failures = 0;
    int64_t last_ms = 0;
    int64_t version = 0;  // of the stored document; 0 = none
  };
  Result<Counter> Read(std::string key, int64_t now);
  // When the next attempt may come, by a counter of `failures` last failed at `last_ms`.
  int64_t NextAllowed(const Counter& c, int free, int64_t max_delay) const;
  // Drops counters idle past forget_after_ms, at most once an hour and a page at a time.
  void Sweep(int64_t now);

  Store& store_;
  const Clock& clock_;
  const ThrottlePolicy policy_;
  std::atomic<int64_t> last_sweep_ms_{0};
  std::mutex sweep_mu_;
  std::string sweep_after_;  // guarded by sweep_mu_: where the next sweep's page starts
};

}  // namespace ec2m::server
