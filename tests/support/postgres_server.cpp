#include "support/postgres_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

extern char** environ;

namespace ec2m::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSuperuser = "postgres";
// Debian's postgresql package creates this system user; PostgreSQL will not run as root.
constexpr const char* kServerUser = "postgres";
constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);
constexpr auto kPollInterval = std::chrono::milliseconds(20);
// A port found free can be taken by another process before postgres binds it.
constexpr int kPortAttempts = 3;

// The bin folder of the newest PostgreSQL under /usr/lib/postgresql, empty when there is none.
std::string FindBinDir() {
  std::error_code ec;
  std::string best;
  int best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = entry.path() / "bin";
    const std::string name = entry.path().filename().string();
    const int version = std::atoi(name.c_str());
    if (version > best_version && fs::exists(bin / "postgres") && fs::exists(bin / "initdb")) {
      best_version = version;
      best = bin.string();
    }
  }
  return best;
}

// A TCP port on 127.0.0.1 that nothing listened on a moment ago, or 0.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// argv run through setpriv: as the server user when we are root, and (for the server itself)
// with SIGINT as the parent-death signal, which setpriv sets after switching users.
std::vector<std::string> Wrap(std::vector<std::string> argv, bool as_root, bool die_with_parent) {
  std::vector<std::string> wrapped = {"setpriv"};
  if (as_root) {
    wrapped.insert(wrapped.end(), {std::string("--reuid=") + kServerUser,
                                   std::string("--regid=") + kServerUser, "--init-groups"});
  }
  if (die_with_parent) {
    wrapped.emplace_back("--pdeathsig=SIGINT");
  }
  wrapped.emplace_back("--");
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

// Starts argv with stdin from /dev/null and stdout and stderr appended to `log`; -1 on failure.
pid_t SpawnLogged(const std::vector<std::string>& argv, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    return -1;
  }
  return pid;
}

std::string Conninfo(int port, const std::string& database) {
  return "host=127.0.0.1 port=" + std::to_string(port) + " user=" + kSuperuser +
         " dbname=" + database + " connect_timeout=10";
}

PostgresServer::SqlResult SqlIn(int port, const std::string& database, const std::string& sql) {
  PostgresServer::SqlResult out;
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(Conninfo(port, database).c_str()),
                                                    &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    out.error = "connect to the test server (port " + std::to_string(port) + ", database " +
                database + "): " + PQerrorMessage(conn.get());
    return out;
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    out.error = sql + ": " + PQerrorMessage(conn.get());
    return out;
  }
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    out.column.emplace_back(PQgetvalue(result.get(), row, 0),
                            static_cast<size_t>(PQgetlength(result.get(), row, 0)));
  }
  out.ok = true;
  return out;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    return std::string("was killed by signal ") + strsignal(WTERMSIG(status));
  }
  return "stopped";
}

}  // namespace

PostgresServer::~PostgresServer() { Stop(); }

PostgresServer& PostgresServer::Shared() {
  static PostgresServer server;
  static const bool started = server.Start();
  (void)started;  // running() and error() report it
  return server;
}

bool PostgresServer::Start() {
  const std::string bin = FindBinDir();
  if (bin.empty()) {
    error_ =
        "no PostgreSQL server under /usr/lib/postgresql/*/bin (scripts/install-deps.sh installs "
        "Debian's postgresql package)";
    return false;
  }
  const bool as_root = geteuid() == 0;
  if (as_root) {
    const passwd* user = getpwnam(kServerUser);
    if (user == nullptr) {
      error_ = std::string("running as root, and there is no '") + kServerUser +
               "' system user to run PostgreSQL as (Debian's postgresql package creates it)";
      return false;
    }
    if (chown(dir_.path().c_str(), user->pw_uid, user->pw_gid) != 0) {
      error_ = "chown " + dir_.path() + " to " + kServerUser + ": " + std::strerror(errno);
      return false;
    }
  }
  const std::string data = dir_.path() + "/data";
  const CommandResult initdb = RunCommand(Wrap({bin + "/initdb", "-D", data, "-U", kSuperuser, "-A",
                                                "trust", "-E", "UTF8", "--locale=C", "--no-sync"},
                                               as_root, false));
  if (initdb.exit_code != 0) {
    error_ = bin + "/initdb -D " + data + " failed (exit " + std::to_string(initdb.exit_code) +
             "): " + initdb.err + initdb.out;
    return false;
  }
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    bool port_taken = false;
    if (StartOn(bin, as_root, &port_taken)) {
      const SqlResult created =
          SqlIn(port_, "postgres", std::string("CREATE DATABASE ") + kDatabase);
      if (!created.ok) {
        error_ = created.error;
        Stop();
        return false;
      }
      return true;
    }
    if (!port_taken) {
      return false;
    }
  }
  return false;
}

bool PostgresServer::StartOn(const std::string& bin_dir, bool as_root, bool* port_taken) {
  port_ = FreePort();
  if (port_ == 0) {
    error_ = std::string("no free port on 127.0.0.1: ") + std::strerror(errno);
    return false;
  }
  // fsync and full-page writes off: a test database need not survive a power cut, and they cost
  // most of the time of every commit.
  const std::vector<std::string> argv = {bin_dir + "/postgres",
                                         "-D",
                                         dir_.path() + "/data",
                                         "-p",
                                         std::to_string(port_),
                                         "-c",
                                         "listen_addresses=127.0.0.1",
                                         "-c",
                                         "unix_socket_directories=" + dir_.path(),
                                         "-c",
                                         "fsync=off",
                                         "-c",
                                         "synchronous_commit=off",
                                         "-c",
                                         "full_page_writes=off",
                                         "-c",
                                         "shared_buffers=32MB"};
  pid_ = SpawnLogged(Wrap(argv, as_root, true), dir_.path() + "/postgres.log");
  if (pid_ < 0) {
    error_ =
        std::string("cannot start setpriv (util-linux) to run postgres: ") + std::strerror(errno);
    return false;
  }
  return WaitUntilReady(port_taken);
}

bool PostgresServer::WaitUntilReady(bool* port_taken) {
  const std::string conninfo = Conninfo(port_, "postgres");
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string log = Log();
      *port_taken = log.find("could not bind") != std::string::npos;
      error_ = "postgres on port " + std::to_string(port_) + " " + DescribeStatus(status) +
               " before accepting connections; its log:\n" + log;
      return false;
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) {
      return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  error_ = "postgres on port " + std::to_string(port_) + " did not accept connections within " +
           std::to_string(kStartTimeout.count()) + " s; its log:\n" + Log();
  Stop();
  return false;
}

void PostgresServer::Stop() {
  if (pid_ <= 0) {
    return;
  }
  // SIGINT is the fast shutdown: open sessions are ended rather than waited for.
  kill(pid_, SIGINT);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  pid_ = -1;
}

std::string PostgresServer::Log() const {
  std::ifstream in(dir_.path() + "/postgres.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string PostgresServer::Uri(const std::string& database) const {
  return std::string("postgresql://") + kSuperuser + "@127.0.0.1:" + std::to_string(port_) + "/" +
         database;
}

PostgresServer::SqlResult PostgresServer::Sql(const std::string& sql) const {
  return SqlIn(port_, kDatabase, sql);
}

PostgresServer::Schema PostgresServer::CreateSchema() {
  Schema schema;
  const std::string name = "s" + std::to_string(++schemas_);
  const SqlResult created = Sql("CREATE SCHEMA " + name);
  if (!created.ok) {
    schema.error = created.error;
    return schema;
  }
  schema.name = name;
  schema.uri = Uri() + "?options=-csearch_path%3D" + name;
  return schema;
}

}  // namespace ec2m::testing
