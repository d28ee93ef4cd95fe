#include "app/serve.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fmt/core.h>
#include <condition_variable>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "app/ec2_credentials.hpp"
#include "app/environment_cloud.hpp"
#include "app/fleet_collector.hpp"
#include "app/stop_signals.hpp"
#include "audit/audit_log.hpp"
#include "auth/keyring.hpp"
#include "auth/secure_random.hpp"
#include "cli/exit_codes.hpp"
#include "cloud/aws/aws_config.hpp"
#include "cloud/aws/aws_ec2.hpp"
#include "config/environment.hpp"
#include "config/serve_config.hpp"
#include "core/files.hpp"
#include "http/server.hpp"
#include "incidents/escalation_worker.hpp"
#include "incidents/incidents.hpp"
#include "monitor/monitor.hpp"
#include "notify/outbox.hpp"
#include "notify/transport.hpp"
#include "release/deployer.hpp"
#include "server/api_server.hpp"
#include "server/identity.hpp"
#include "server/inventory.hpp"
#include "server/metrics.hpp"
#include "sim/endpoint/query_server.hpp"
#include "sim/region.hpp"
#include "stack/provisioner.hpp"
#include "store/observed_store.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::app {
namespace {

namespace fs = std::filesystem;

constexpr int kDemoInstances = 3;
constexpr int kPostgresPool = 8;

Result<config::ServeConfig> LoadConfig(const ServeOptions& options) {
  config::ServeConfig c;
  if (!options.config_file.empty()) {
    auto loaded = config::LoadServeConfig(options.config_file);
    EC2M_RETURN_IF_ERROR(loaded);
    c = std::move(*loaded);
    // Relative folders in the file are relative to the file.
    const fs::path base = fs::path(options.config_file).parent_path();
    for (std::string* dir : {&c.data_dir, &c.environments_dir, &c.console_dir, &c.tls_cert,
                             &c.tls_key, &c.sim_config}) {
      if (!dir->empty() && fs::path(*dir).is_relative()) {
        *dir = (base / *dir).lexically_normal().string();
      }
    }
  }
  if (!options.listen.empty()) {
    c.listen = options.listen;
  }
  if (!options.data_dir.empty()) {
    c.data_dir = options.data_dir;
  }
  if (!options.environments_dir.empty()) {
    c.environments_dir = options.environments_dir;
  }
  c.demo = c.demo || options.demo;
  return c;
}

// The data dir, private to the user ec2m runs as: made 0700, and an existing one with wider
// permissions narrowed (with a note). Files created later (the database, its WAL, the key and
// credentials files) are 0600 through the umask RunServe sets.
Result<void> PrepareDataDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                dir + ": cannot create the data dir (" + ec.message() + ")");
  }
  const fs::perms perms = fs::status(dir, ec).permissions();
  if ((perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
    fs::permissions(dir, fs::perms::owner_all, ec);
    std::fprintf(stderr, "ec2m: %s: narrowed the data dir to mode 700 (others could read it)\n",
                 dir.c_str());
  }
  return {};
}

// A listen address other than loopback (where the embedded EC2 endpoint must not run with keys
// it made up itself).
bool IsLoopback(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

Result<std::unique_ptr<Store>> OpenStore(const config::ServeConfig& c) {
  if (c.store == "postgres") {
    auto pg = store::PostgresStore::Open(c.store_url, kPostgresPool);
    EC2M_RETURN_IF_ERROR(pg);
    return std::unique_ptr<Store>(std::move(*pg));
  }
  auto sqlite = store::SqliteStore::Open((fs::path(c.data_dir) / "ec2m.db").string());
  EC2M_RETURN_IF_ERROR(sqlite);
  return std::unique_ptr<Store>(std::move(*sqlite));
}

// The built console: the configured folder, else web/dist found from the binary's place (the
// source tree's build/<preset>/ec2m, or an install's bin/ next to share/ec2m/console).
std::string FindConsole(const std::string& configured) {
  if (!configured.empty()) {
    return configured;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (const fs::path& candidate : {exe / "web" / "dist", exe / ".." / ".." / "web" / "dist",
                                    exe / ".." / "share" / "ec2m" / "console"}) {
    if (fs::exists(candidate / "index.html", ec)) {
      return fs::weakly_canonical(candidate, ec).string();
    }
  }
  return "";
}

// Launches a few tagged instances into each simulated environment: the demo of `make run`.
Result<void> LaunchDemo(const std::vector<server::EnvironmentHandle>& envs) {
  for (const auto& env : envs) {
    if (env.config.cloud.provider != "sim") {
      continue;
    }
    RunInstancesRequest req;
    req.image_id = "ami-0abcdef1234567890";
    req.instance_type = "t3.micro";
    req.min_count = kDemoInstances;
    req.max_count = kDemoInstances;
    req.client_token = "ec2m-demo-" + env.config.name;
    req.tag_specifications = {{"instance",
                               {{server::kEnvironmentTag, env.config.name},
                                {"Name", "web-" + env.config.name},
                                {"ManagedBy", "ec2m"}}}};
    auto launched = env.ec2->RunInstances(req);
    EC2M_RETURN_IF_ERROR(launched);
  }
  return {};
}

int RunServe(const ServeOptions& options) {
  // Everything ec2m serve creates is its user's alone: the data dir 0700, files 0600.
  ::umask(0077);
  auto c = LoadConfig(options);
  if (!c) {
    return cli::ReportError(c.error());
  }
  if (auto prepared = PrepareDataDir(c->data_dir); !prepared) {
    return cli::ReportError(prepared.error());
  }
  auto listen = http::SplitHostPort(c->listen, "listen");
  if (!listen) {
    return cli::ReportError(listen.error());
  }
  auto envs = config::LoadEnvironments(c->environments_dir);
  if (!envs) {
    return cli::ReportError(envs.error());
  }
  auto store = OpenStore(*c);
  if (!store) {
    return cli::ReportError(store.error());
  }
  SystemClock clock;
  auth::SecureRandom random;
  // The metric store behind alarms and dashboards (on the store itself: its flushes are not
  // observed, so reporting a failure never waits on the metric store's own writes); the monitor
  // over it starts once the outbox and incidents exist (below).
  monitor::MetricStore metric_store(store->get());
  if (auto loaded = metric_store.Load(); !loaded) {
    return cli::ReportError(loaded.error());
  }
  // Everything else reaches the store through an observer that counts its failures for the
  // control plane's Throttling alarm: a busy database or a serialization failure is throttling.
  ec2m::store::ObservedStore observed_store(**store, [&metric_store, &clock](const Error& e) {
    const bool throttled = e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kThrottled;
    metric_store.PutMany(monitor::kControlPlane,
                         {{"StoreErrors", 1}, {"Throttles", throttled ? 1.0 : 0.0}}, clock.Now());
  });

  sim::SimConfig sim_base;
  if (!c->sim_config.empty()) {
    auto text = ReadFile(c->sim_config);
    if (!text) {
      return cli::ReportError(text.error());
    }
    auto parsed = sim::ParseSimConfig(*text, c->sim_config);
    if (!parsed) {
      return cli::ReportError(parsed.error());
    }
    sim_base = std::move(*parsed);
  }
  // One simulated region per region name the sim environments use; an EC2 client per aws one.
  std::map<std::string, std::unique_ptr<sim::SimRegion>> regions;
  std::vector<std::unique_ptr<aws::AwsEc2>> clients;
  std::vector<server::EnvironmentHandle> handles;
  for (const auto& env : *envs) {
    Ec2* ec2 = nullptr;
    if (env.cloud.provider == "sim") {
      auto& region = regions[env.region];
      if (!region) {
        sim::SimConfig sim = sim_base;
        sim.region = env.region;
        sim.account_id = env.account_id;
        auto opened = sim::SimRegion::Open(sim, observed_store, clock, random);
        if (!opened) {
          return cli::ReportError(opened.error());
        }
        region = std::move(*opened);
      }
      ec2 = region.get();
    } else {
      auto client = ConnectEnvironment(env, "", clock, random);
      if (!client) {
        return cli::ReportError(client.error());
      }
      clients.push_back(std::move(*client));
      ec2 = clients.back().get();
    }
    handles.push_back({env, ec2});
  }

  const StopSignals stop_signals;  // before any thread starts

  // The key file: it seals secrets at rest and signs the audit log's head. A log that predates
  // it (an upgrade) is signed by the start that creates the key file, and by no later one.
  const std::string key_file =
      c->key_file.empty() ? (fs::path(c->data_dir) / "ec2m.keys").string() : c->key_file;
  const bool new_key_file = !fs::exists(key_file);
  auto keys = auth::KeyRing::LoadOrCreate(key_file, random, clock.Now());
  if (!keys) {
    return cli::ReportError(keys.error());
  }
  audit::AuditLog audit(observed_store, clock, &*keys);
  if (new_key_file) {
    if (auto adopted = audit.AdoptHead(); !adopted) {
      return cli::ReportError(adopted.error());
    }
  }
  server::Identity identity(observed_store, audit, clock, random, &*keys);
  auto first_password = identity.EnsureFirstAdmin(c->admin_email);
  if (!first_password) {
    return cli::ReportError(first_password.error());
  }
  if (*first_password && c->demo) {
    if (auto demo = LaunchDemo(handles); !demo) {
      return cli::ReportError(demo.error());
    }
  }
  server::Metrics metrics;
  server::Inventory inventory(
      handles, [&metrics, &metric_store, &clock](const std::string& env, const std::string& code) {
        metrics.CloudCall(env, code);
        monitor::RecordCloudCall(metric_store, clock.Now(), env, code);
      });
  if (auto refreshed = inventory.Refresh(); !refreshed) {
    // Not fatal: an unreachable cloud is reported by /health/ready and retried by the loop.
    std::fprintf(stderr, "ec2m: %s\n", refreshed.error().ToString().c_str());
  }
  inventory.Start(std::chrono::seconds(c->reconcile_seconds));

  std::unique_ptr<sim::QueryServer> ec2_endpoint;
  std::string ec2_url;
  Ec2Credentials ec2_keys;
  if (!c->ec2_listen.empty() && !regions.empty()) {
    auto ec2_listen = http::SplitHostPort(c->ec2_listen, "ec2_listen");
    if (!ec2_listen) {
      return cli::ReportError(ec2_listen.error());
    }
    if (c->ec2_credentials.empty() && !IsLoopback(ec2_listen->first)) {
      return cli::ReportError(
          Error{ErrorCode::kInvalidArgument,
                "ec2_listen: " + ec2_listen->first +
                    " is not a loopback address: set ec2_credentials to a credentials file of "
                    "your own before the EC2 endpoint listens there",
                "", ""});
    }
    auto credentials = LoadEc2Credentials(
        c->ec2_credentials.empty() ? (fs::path(c->data_dir) / "ec2-credentials.json").string()
                                   : c->ec2_credentials,
        c->ec2_credentials.empty(), random);
    if (!credentials) {
      return cli::ReportError(credentials.error());
    }
    ec2_keys = *credentials;
    auto& [name, region] = *regions.begin();
    ec2_endpoint = std::make_unique<sim::QueryServer>(
        *region, region.get(),
        sim::QueryServer::CredentialMap{
            {credentials->access_key_id, credentials->secret_access_key}},
        clock, random, name);
    ec2_endpoint->set_admin_key(credentials->admin_key);
    auto port = ec2_endpoint->Listen(ec2_listen->first, ec2_listen->second);
    if (!port) {
      return cli::ReportError(port.error());
    }
    ec2_url = "http://" + ec2_listen->first + ":" + std::to_string(*port);
  }

  // Environments as code: every environment's config file and cloud, and the loop that resumes
  // applies a stopped process left behind (once their lock's lease has run out).
  std::vector<stack::Target> targets;
  for (const auto& h : handles) {
    auto text = ReadFile(h.config.file);
    if (!text) {
      return cli::ReportError(text.error());
    }
    targets.push_back({h.config.name, std::move(*text), h.config.file, h.ec2});
  }
  // --- Notifications (notify/): channels and the persistent outbox. Its worker delivers over
  // libcurl with bounded timeouts and retries with backoff; it stops in the outbox's destructor,
  // after the API and the provisioner (declared later) have stopped: both hand it messages.
  notify::CurlTransport notify_transport;
  notify::Outbox outbox(observed_store, notify_transport, clock, random, {.keys = &*keys});
  outbox.Start();
  // --- end of notifications
  stack::ProvisionerOptions stack_options;
  stack_options.lease = std::chrono::seconds(c->apply_lease_seconds);
  stack_options.on_finished = [&inventory, &audit, &outbox, &metric_store,
                               &clock](const stack::ChangeSet& cs) {
    (void)audit.Append({cs.author, "environment.apply", cs.id, cs.environment, "",
                        cs.status == "succeeded" ? "success" : "failure", cs.result});
    Notification n = stack::DeploymentNotification(cs);
    metric_store.Put({cs.environment, "Deployments", {{"Status", n.fields["status"]}}}, clock.Now(),
                     1);
    if (auto sent = outbox.Enqueue(std::move(n)); !sent) {
      std::fprintf(stderr, "ec2m: %s: notification: %s\n", cs.id.c_str(),
                   sent.error().ToString().c_str());
    }
    if (auto refreshed = inventory.Refresh(cs.environment); !refreshed) {
      std::fprintf(stderr, "ec2m: %s\n", refreshed.error().ToString().c_str());
    }
  };
  stack::Provisioner provisioner(observed_store, clock, std::move(targets), stack_options);
  server::ApiOptions api_options;
  api_options.console_dir = FindConsole(c->console_dir);
  api_options.max_body_bytes = c->max_body_bytes;
  api_options.json_logs = c->log_format == "json";
  api_options.quiet = !c->access_log;
  api_options.tls_cert = c->tls_cert;
  api_options.tls_key = c->tls_key;
  api_options.ready_check_every = std::chrono::seconds(c->ready_check_seconds);
  const config::HttpSettings& h = c->http;
  api_options.http.worker_threads = static_cast<size_t>(h.worker_threads);
  api_options.http.max_queued = static_cast<size_t>(h.max_queued);
  api_options.http.max_header_bytes = static_cast<size_t>(h.max_header_bytes);
  api_options.http.max_header_count = static_cast<size_t>(h.max_headers);
  api_options.http.header_timeout = std::chrono::milliseconds(h.header_timeout_ms);
  api_options.http.body_timeout = std::chrono::milliseconds(h.body_timeout_ms);
  api_options.http.idle_timeout = std::chrono::milliseconds(h.idle_timeout_ms);
  api_options.http.request_timeout = std::chrono::milliseconds(h.request_timeout_ms);
  api_options.http.max_connections = static_cast<size_t>(h.max_connections);
  api_options.rate.per_second = h.rate_limit_per_second;
  api_options.rate.burst = h.rate_limit_burst;
  const char* metrics_token = std::getenv("EC2M_METRICS_TOKEN");
  api_options.metrics_token = metrics_token != nullptr ? metrics_token : c->metrics_token;
  server::Services services;
  services.provisioner = &provisioner;
  services.outbox = &outbox;
  // --- Incidents (incidents/): opened and worked through the REST API and the CLI, their
  // messages handed to the outbox. The escalation worker looks every minute for incidents not
  // acknowledged within their response time; its destructor stops it, after the API (declared
  // later) has stopped and before the outbox (declared earlier) goes.
  incidents::Incidents incidents(observed_store, clock, &outbox);
  incidents::EscalationWorker escalation(incidents, clock);
  escalation.Start();
  services.incidents = &incidents;
  // --- end of incidents
  // --- Monitoring (monitor/): every environment's alarms (its config's: the specification's
  // five unless overridden) and the control plane's own, evaluated every minute; a transition
  // notifies through the outbox, and a critical alarm's episode opens a P1 (its later
  // transitions go on that incident's timeline).
  monitor::Monitor monitor(observed_store, metric_store, clock, &outbox);
  std::map<std::string, int64_t> retention_days = {{monitor::kControlPlane, 30}};
  if (auto set = monitor.SetAlarms(monitor::kControlPlane, monitor::DefaultAlarms()); !set) {
    return cli::ReportError(set.error());
  }
  for (const auto& h : handles) {
    if (auto set = monitor.SetAlarms(h.config.name, h.config.alarms); !set) {
      return cli::ReportError(set.error());
    }
    retention_days[h.config.name] = h.config.log_retention_days;
  }
  monitor.OnTransition([&incidents](const monitor::AlarmTransition& t) {
    const std::string episode = monitor::EpisodeId(t.scope, t.spec.name, t.episode);
    const std::string line = fmt::format("{} → {}: {}", monitor::AlarmStateName(t.from),
                                         monitor::AlarmStateName(t.to), t.reason);
    Result<incidents::Incident> recorded =
        t.spec.severity == "critical" && t.to == monitor::AlarmState::kAlarm
            ? incidents.OpenForAlarm(t.spec.name, t.scope, episode,
                                     t.spec.description + ": " + t.reason)
            : incidents.RecordEpisode(episode, line);
    if (!recorded && recorded.error().code != ErrorCode::kNotFound) {
      std::fprintf(stderr, "ec2m: incident for alarm %s: %s\n", episode.c_str(),
                   recorded.error().ToString().c_str());
    }
  });
  // The collector (every collector_seconds, 15 minutes by default): instances by state,
  // estimated cost and the simulated region's CPU figures (app/fleet_collector.hpp).
  FleetCollector fleet(inventory, handles);
  monitor.SetCollector(std::chrono::seconds(c->collector_seconds),
                       [&fleet](monitor::MetricStore& m, TimePoint now) { fleet.Collect(m, now); });
  monitor.Start(std::chrono::seconds(c->alarm_evaluation_seconds), retention_days);
  services.monitor = &monitor;
  // --- end of monitoring
  // --- Releases (release/): blue-green deployments advanced by the deployer's loop, which
  // resumes the deployments a stopped process left in flight. A transition is audited, counted
  // and notified here; the loop stops in the deployer's destructor, before what it uses goes.
  release::Releases releases(observed_store, clock);
  release::DeployerOptions deploy_options;
  deploy_options.on_transition = [&audit, &outbox, &metric_store, &inventory, &clock](
                                     const release::Deployment& d, const release::Release& r,
                                     bool production) {
    if (release::IsFinal(d.state)) {
      const bool ok = d.state == release::kSucceeded;
      (void)audit.Append({d.author, "deployment.finish", d.id, d.environment, "",
                          ok ? "success" : "failure", d.reason.empty() ? d.state : d.reason});
      metric_store.Put({d.environment, "Deployments", {{"Status", ok ? "success" : "failure"}}},
                       clock.Now(), 1);
      if (auto refreshed = inventory.Refresh(d.environment); !refreshed) {
        std::fprintf(stderr, "ec2m: %s\n", refreshed.error().ToString().c_str());
      }
    }
    if (auto n = release::DeploymentNotification(d, r, production)) {
      if (auto sent = outbox.Enqueue(std::move(*n)); !sent) {
        std::fprintf(stderr, "ec2m: %s: notification: %s\n", d.id.c_str(),
                     sent.error().ToString().c_str());
      }
    }
  };
  release::Deployer deployer(releases, provisioner, clock, &metric_store, deploy_options);
  deployer.Start();
  services.deployer = &deployer;
  // --- end of releases
  services.sim_faults = [&regions](
                            const std::string& region,
                            const std::optional<std::string>& faults) -> Result<std::string> {
    auto it = regions.find(region);
    if (it == regions.end()) {
      return Fail(ErrorCode::kNotFound, "region " + region + " is not simulated by this server");
    }
    if (faults) {
      auto parsed = sim::ParseFaultConfig(*faults);
      if (!parsed) {
        Error e = parsed.error();
        e.message = "request body: " + e.message;
        return Fail(std::move(e));
      }
      it->second->SetFaults(std::move(*parsed));
    }
    return sim::FaultConfigToJson(it->second->faults());
  };
  server::ApiServer api(observed_store, identity, inventory, audit, metrics, clock, random,
                        api_options, services);
  auto port = api.Listen(listen->first, listen->second);
  if (!port) {
    return cli::ReportError(port.error());
  }
  const std::string url =
      (c->tls_cert.empty() ? "http://" : "https://") + listen->first + ":" + std::to_string(*port);
  std::printf("ec2m: serving %zu environment%s from %s, store %s\n", handles.size(),
              handles.size() == 1 ? "" : "s", c->environments_dir.c_str(), c->store.c_str());
  if (!ec2_url.empty()) {
    std::printf("EC2 endpoint: %s (region %s, access key %s, secret %s)\n", ec2_url.c_str(),
                regions.begin()->first.c_str(), ec2_keys.access_key_id.c_str(),
                ec2_keys.secret_access_key.c_str());
  }
  if (api_options.console_dir.empty()) {
    std::printf("ec2m: no built console found (make web); the REST API works without it\n");
  }
  std::printf("API: %s/api/v1\n", url.c_str());
  if (*first_password) {
    std::printf("Admin: %s %s\n", c->admin_email.c_str(), (*first_password)->c_str());
  }
  // The last line: scripts and tests wait for it.
  std::printf("Console: %s/\n", url.c_str());
  std::fflush(stdout);

  std::mutex recovery_mu;
  std::condition_variable recovery_cv;
  bool stopping = false;
  // Started once serving (every early return above leaves no thread behind).
  std::thread recovery([&] {
    std::unique_lock lock(recovery_mu);
    do {
      lock.unlock();
      auto resumed = provisioner.RecoverInterrupted();
      if (!resumed) {
        std::fprintf(stderr, "ec2m: recovering applies: %s\n", resumed.error().ToString().c_str());
      } else if (*resumed > 0) {
        std::fprintf(stderr, "ec2m: resumed %d interrupted apply(s)\n", *resumed);
      }
      lock.lock();
    } while (!recovery_cv.wait_for(lock, stack_options.lease / 2, [&] { return stopping; }));
  });

  stop_signals.Wait();
  std::printf("ec2m: stopping (finishing requests in flight)\n");
  std::fflush(stdout);
  api.Stop();
  {
    std::lock_guard lock(recovery_mu);
    stopping = true;
  }
  recovery_cv.notify_all();
  recovery.join();
  provisioner.Wait();  // an apply in flight finishes its steps (a kill would be safe too)
  inventory.Stop();
  if (ec2_endpoint) {
    ec2_endpoint->Stop();
  }
  std::printf("ec2m: stopped\n");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, ServeOptions& options, int& exit_code) {
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the control plane: REST API, console, and the embedded region's EC2 endpoint");
  serve->add_option("--config", options.config_file, "Settings file (ec2m.json)");
  serve->add_option("--listen", options.listen, "HOST:PORT of the API and console");
  serve->add_option("--data-dir", options.data_dir, "Where the SQLite store is kept");
  serve->add_option("--environments", options.environments_dir,
                    "Folder of environment configs (<name>.json)");
  serve->add_flag("--demo", options.demo,
                  "On first start, launch a few instances into each simulated environment");
  serve->callback([&options, &exit_code] { exit_code = RunServe(options); });
}

}  // namespace ec2m::app
