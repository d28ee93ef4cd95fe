#include "incidents/escalation_worker.hpp"

#include <cstdio>

namespace ec2m::incidents {

EscalationWorker::EscalationWorker(Incidents& incidents, const Clock& clock,
                                   EscalationWorkerOptions options)
    : incidents_(incidents),
      worker_(
          "incident escalation", clock, [this] { Pass(); }, options) {}

void EscalationWorker::Pass() {
  auto escalated = incidents_.EscalateDue();
  if (!escalated) {
    std::fprintf(stderr, "ec2m: incident escalation: %s\n", escalated.error().ToString().c_str());
  } else if (*escalated > 0) {
    std::fprintf(stderr, "ec2m: escalated %d incident(s)\n", *escalated);
  }
}

}  // namespace ec2m::incidents
