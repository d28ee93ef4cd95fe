#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

struct AlarmOptions {
  std::string environment;  // --env; "" = every environment the caller may see
  std::string name;
  std::string state;   // list --state
  std::string server;  // --server; else the saved session's
  std::string output = "table";
  int limit = 50;
  bool until_resolved = false;  // mute
  // metrics put
  std::string metric;
  double value = 0;
  std::string dimensions;  // Key=Value,Key2=Value2
  // metrics get
  std::string stat = "Average";
  int period = 300;
  std::string start;
  std::string end;
};

// alarms list [--env E] [--state S], alarms show NAME --env E, alarms history NAME --env E,
// alarms mute NAME --env E --until-resolved, alarms ack NAME --env E; metrics list --env E,
// metrics get METRIC --env E [--stat S --period P --start T --end T --dimensions K=V],
// metrics put METRIC VALUE --env E [--dimensions K=V] — through the signed-in server.
// `--env ec2m` names the control plane's own alarms and metrics.
void AddAlarmCommands(CLI::App& app, AlarmOptions& options, int& exit_code);

}  // namespace ec2m::app
