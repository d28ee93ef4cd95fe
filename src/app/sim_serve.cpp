#include "app/sim_serve.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "app/stop_signals.hpp"
#include "cli/exit_codes.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "core/random.hpp"
#include "http/listener.hpp"
#include "sim/endpoint/query_server.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::app {

namespace {

Result<sim::SimConfig> LoadConfig(const SimServeOptions& options) {
  sim::SimConfig config;
  if (!options.config_file.empty()) {
    auto text = ReadFile(options.config_file);
    EC2M_RETURN_IF_ERROR(text);
    auto parsed = sim::ParseSimConfig(*text, options.config_file);
    EC2M_RETURN_IF_ERROR(parsed);
    config = std::move(*parsed);
  }
  if (!options.listen.empty()) {
    config.listen = options.listen;
  }
  if (!options.data_dir.empty()) {
    config.data_dir = options.data_dir;
  }
  if (!options.region.empty()) {
    config.region = options.region;
  }
  if (options.access_key.empty() != options.secret_key.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "--access-key and --secret-key go together");
  }
  if (!options.access_key.empty()) {
    config.credentials = {{options.access_key, options.secret_key}};
  }
  return config;
}

}  // namespace

void AddSimCommands(CLI::App& app, SimServeOptions& options, int& exit_code) {
  CLI::App* sim = app.add_subcommand("sim", "The simulated EC2 region");
  sim->require_subcommand(1);
  CLI::App* serve = sim->add_subcommand(
      "serve", "Serve the simulated region over the EC2 Query API (the AWS CLI works against it)");
  serve->add_option("--config", options.config_file, "Sim config file (JSON)");
  serve->add_option("--listen", options.listen, "HOST:PORT to listen on (default 127.0.0.1:4566)");
  serve->add_option("--data-dir", options.data_dir, "Where state is kept (default var/sim)");
  serve->add_option("--region", options.region, "Region name (default us-west-2)");
  serve->add_option("--access-key", options.access_key, "Accepted access key id (default test)");
  serve->add_option("--secret-key", options.secret_key, "Its secret key (default test)");
  serve->callback([&options, &exit_code] { exit_code = RunSimServe(options); });
}

int RunSimServe(const SimServeOptions& options) {
  auto config = LoadConfig(options);
  if (!config) {
    return cli::ReportError(config.error());
  }
  auto listen = http::SplitHostPort(config->listen, "--listen");
  if (!listen) {
    return cli::ReportError(listen.error());
  }
  auto store =
      store::SqliteStore::Open((std::filesystem::path(config->data_dir) / "sim.db").string());
  if (!store) {
    return cli::ReportError(store.error());
  }
  SystemClock clock;
  DefaultRandom random;
  auto region = sim::SimRegion::Open(*config, **store, clock, random);
  if (!region) {
    return cli::ReportError(region.error());
  }
  const StopSignals stop_signals;  // before any thread starts

  sim::QueryServer server(
      **region, region->get(),
      sim::QueryServer::CredentialMap(config->credentials.begin(), config->credentials.end()),
      clock, random, config->region);
  auto port = server.Listen(listen->first, listen->second);
  if (!port) {
    return cli::ReportError(port.error());
  }
  std::printf("ec2m sim: serving %s at http://%s:%d (data dir %s)\n", config->region.c_str(),
              listen->first.c_str(), *port, config->data_dir.c_str());
  std::fflush(stdout);
  stop_signals.Wait();
  server.Stop();
  std::printf("ec2m sim: stopped\n");
  return 0;
}

}  // namespace ec2m::app
