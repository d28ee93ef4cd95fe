// The `ec2m` binary: parses the command line and wires concrete classes to the commands.

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/account_commands.hpp"
#include "app/alarm_commands.hpp"
#include "app/channel_commands.hpp"
#include "app/client_commands.hpp"
#include "app/cloud_commands.hpp"
#include "app/environment_commands.hpp"
#include "app/incident_commands.hpp"
#include "app/key_commands.hpp"
#include "app/release_commands.hpp"
#include "app/serve.hpp"
#include "app/sim_serve.hpp"
#include "app/stack_commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"EC2 Manager: a control plane for EC2 fleets, with an embedded simulated region",
               "ec2m"};
  app.require_subcommand(1);
  app.set_version_flag("--version", ec2m::app::VersionLine());
  int exit_code = 0;
  ec2m::app::SimServeOptions sim_options;
  ec2m::app::AddSimCommands(app, sim_options, exit_code);
  ec2m::app::CloudOptions cloud_options;
  ec2m::app::AddCloudCommands(app, cloud_options, exit_code);
  ec2m::app::ServeOptions serve_options;
  ec2m::app::AddServeCommand(app, serve_options, exit_code);
  ec2m::app::ClientOptions client_options;
  ec2m::app::AddClientCommands(app, client_options, exit_code);
  ec2m::app::AccountOptions account_options;
  ec2m::app::AddAccountCommands(app, account_options, exit_code);
  ec2m::app::StackOptions stack_options;
  ec2m::app::AddStackCommands(app, stack_options, exit_code);
  ec2m::app::EnvironmentOptions environment_options;
  ec2m::app::AddEnvironmentCommands(app, environment_options, exit_code);
  ec2m::app::IncidentOptions incident_options;
  ec2m::app::AddIncidentCommands(app, incident_options, exit_code);
  ec2m::app::AlarmOptions alarm_options;
  ec2m::app::AddAlarmCommands(app, alarm_options, exit_code);
  ec2m::app::ChannelOptions channel_options;
  ec2m::app::AddChannelCommands(app, channel_options, exit_code);
  ec2m::app::ReleaseOptions release_options;
  ec2m::app::AddReleaseCommands(app, release_options, exit_code);
  ec2m::app::KeyOptions key_options;
  ec2m::app::AddKeyCommands(app, key_options, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ec2m: internal error: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
