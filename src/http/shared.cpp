#include <utility>

#include "http/connection.hpp"
#include "http/wire.hpp"

namespace ec2m::http::internal {

ServerStats Counters::Snapshot() const {
  ServerStats stats;
  stats.connections_open = connections_open.load();
  stats.connections_accepted = connections_accepted.load();
  stats.requests = requests.load();
  stats.header_timeout = header_timeout.load();
  stats.body_timeout = body_timeout.load();
  stats.idle_closed = idle_closed.load();
  stats.too_large = too_large.load();
  stats.header_too_large = header_too_large.load();
  stats.queue_full = queue_full.load();
  stats.bad_request = bad_request.load();
  stats.handler_errors = handler_errors.load();
  stats.aborted = aborted.load();
  stats.tls_handshake_failed = tls_handshake_failed.load();
  stats.quick = quick.load();
  stats.reclaimed = reclaimed.load();
  return stats;
}

ConnectionSet::ConnectionSet(size_t max_connections, Counters& counters)
    : max_connections_(max_connections), counters_(counters) {}

void ConnectionSet::SetResume(std::function<void()> resume) {
  std::lock_guard lock(mu_);
  resume_ = std::move(resume);
}

uint64_t ConnectionSet::Add(std::function<void()> drain, std::function<void()> reclaim) {
  std::lock_guard lock(mu_);
  const uint64_t id = next_id_++;
  drains_.emplace(id, Entry{std::move(drain), std::move(reclaim)});
  counters_.connections_open.store(drains_.size());
  ++counters_.connections_accepted;
  return id;
}

void ConnectionSet::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  drains_.erase(id);
  counters_.connections_open.store(drains_.size());
  if (paused_ && drains_.size() < max_connections_ && resume_) {
    paused_ = false;
    resume_();
  }
  if (drains_.empty()) {
    empty_.notify_all();
  }
}

bool ConnectionSet::MayAcceptMore() {
  std::lock_guard lock(mu_);
  paused_ = drains_.size() >= max_connections_;
  if (paused_ && !drains_.empty()) {
    // A batch from where the last one ended, wrapping around: connections busy or not yet past
    // their first request ignore the ask, so the next pause asks the next ones.
    auto it = drains_.lower_bound(reclaim_from_);
    for (size_t asked = 0; asked < std::min(kReclaimBatch, drains_.size()); ++asked) {
      if (it == drains_.end()) {
        it = drains_.begin();
      }
      it->second.reclaim();
      reclaim_from_ = it->first + 1;
      ++it;
    }
  }
  return !paused_;
}

void ConnectionSet::DrainAll() {
  std::lock_guard lock(mu_);
  for (const auto& [id, entry] : drains_) {
    entry.drain();
  }
}

bool ConnectionSet::WaitEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return empty_.wait_until(lock, deadline, [this] { return drains_.empty(); });
}

Shared::Shared(ServerOptions options_in, Handler handler_in, Counters& counters_in,
               std::unique_ptr<boost::asio::ssl::context> tls_in)
    : options(std::move(options_in)),
      handler(std::move(handler_in)),
      counters(counters_in),
      pool(options.worker_threads, options.max_queued),
      connections(options.max_connections, counters_in),
      tls(std::move(tls_in)) {}

Response Shared::Refusal(int status, std::string_view message) const {
  Response response;
  response.status = status;
  if (options.refusal) {
    try {
      options.refusal(status, message, response);
      response.status = status;
      response.stream = nullptr;
      response.drop_after_headers = false;
      if (!CheckResponse(response)) {
        return response;
      }
    } catch (...) {  // NOLINT(bugprone-empty-catch): falls back to the plain body below
    }
  }
  response = Response{};
  response.status = status;
  response.Set("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(message) + "\n";
  return response;
}

}  // namespace ec2m::http::internal
