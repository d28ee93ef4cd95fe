#pragma once

#include <pthread.h>

#include <csignal>

namespace ec2m::app {

// SIGINT and SIGTERM, blocked from construction on so that no thread started afterwards takes
// them: a server makes one before it starts its threads and ends with Wait(), then drains.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }

  // Blocks until SIGINT or SIGTERM arrives; returns it.
  int Wait() const {
    int signal = 0;
    sigwait(&set_, &signal);
    return signal;
  }

 private:
  sigset_t set_{};
};

}  // namespace ec2m::app
