#include "app/sim_serve.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/api_client.hpp"
#include "app/stop_signals.hpp"
#include "cli/exit_codes.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "core/json.hpp"
#include "core/random.hpp"
#include "http/server.hpp"
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

// Reads (or, with --set or --file, replaces) a simulated region's faults on the signed-in
// server and prints them.
int RunFaults(const SimServeOptions& o) {
  if (!o.faults_json.empty() && !o.faults_file.empty()) {
    return cli::ReportError(
        Error{ErrorCode::kInvalidArgument, "--set and --file: one or the other", "", ""});
  }
  std::optional<std::string> faults;
  if (!o.faults_json.empty()) {
    faults = o.faults_json;
  } else if (!o.faults_file.empty()) {
    auto text = ReadFile(o.faults_file);
    if (!text) {
      return cli::ReportError(text.error());
    }
    faults = *text;
  }
  nlohmann::json body;
  if (faults) {
    body = ParseJsonOrDiscard(*faults);
    if (body.is_discarded()) {
      return cli::ReportError(Error{ErrorCode::kInvalidArgument,
                                    "--set/--file: not JSON (sim faults, e.g. "
                                    "{\"impaired_images\":[\"ami-...\"]})",
                                    "", ""});
    }
  }
  auto client = ConnectSignedIn(o.server);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto answer =
      (*client)->Call(faults ? "PUT" : "GET",
                      "/api/v1/sim/regions/" + UrlEncode(o.faults_region) + "/faults", body);
  if (!answer) {
    return cli::ReportError(answer.error());
  }
  std::printf("%s\n", answer->dump(2).c_str());
  return 0;
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
  CLI::App* faults = sim->add_subcommand(
      "faults", "Read or set the faults of a region `ec2m serve` simulates (global admins)");
  faults->add_option("region", options.faults_region, "The region (us-west-2)")->required();
  faults->add_option("--set", options.faults_json,
                     "The faults as JSON: {\"impaired_images\":[...],\"throttle_rate\":0.1,...}");
  faults->add_option("--file", options.faults_file, "The faults from a JSON file");
  faults->add_option("--server", options.server, "The ec2m server (default: the signed-in one)");
  faults->callback([&options, &exit_code] { exit_code = RunFaults(options); });
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
