#include "server/readiness.hpp"

#include <cstdio>

#include "core/utf8.hpp"

namespace ec2m::server {

Readiness::Readiness(Store& store, Inventory& inventory, Metrics& metrics, const Clock& clock,
                     std::chrono::milliseconds every)
    : store_(store),
      inventory_(inventory),
      metrics_(metrics),
      clock_(clock),
      worker_(std::make_unique<Worker>(
          "readiness", clock, [this] { Check(); }, WorkerOptions{.every = every})) {}

Readiness::~Readiness() { Stop(); }

void Readiness::Start() {
  Check();
  worker_->Start();
}

void Readiness::Stop() { worker_->Stop(); }

ReadySnapshot Readiness::Get() const {
  std::lock_guard lock(mu_);
  return last_;
}

void Readiness::Check() {
  ReadySnapshot next;
  next.ready = true;
  std::map<std::string, std::string> problems;
  auto schema = store_.SchemaVersion();
  next.checks["store"] = schema ? "ok" : "unavailable";
  if (!schema) {
    problems["store"] = schema.error().ToString();
  }
  for (const auto& env : inventory_.environments()) {
    auto zones = env.ec2->DescribeAvailabilityZones({});
    metrics_.CloudCall(env.config.name, zones ? "" : zones.error().aws_code);
    const std::string name = "cloud:" + env.config.name;
    next.checks[name] = zones ? "ok" : "unavailable";
    if (!zones) {
      problems[name] = zones.error().ToString();
    }
  }
  next.ready = problems.empty();
  next.checked_at = FormatIso8601(clock_.Now());
  std::lock_guard lock(mu_);
  // A problem is logged when it starts or changes, not on every check.
  for (const auto& [name, problem] : problems) {
    if (logged_[name] != problem) {
      std::fprintf(stderr, "ec2m: readiness: %s: %s\n", name.c_str(), LogSafe(problem).c_str());
    }
  }
  logged_ = std::move(problems);
  last_ = std::move(next);
}

}  // namespace ec2m::server
