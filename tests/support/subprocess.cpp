#include "support/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>

extern char** environ;

namespace ec2m::testing {

namespace {

std::vector<std::string> MergedEnv(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) {
      merged[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : extra) {
    merged[k] = v;
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : merged) {
    out.push_back(k + "=" + v);
  }
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> ptrs;
  for (auto& s : strings) {
    ptrs.push_back(s.data());
  }
  ptrs.push_back(nullptr);
  return ptrs;
}

// Spawns argv with stdout (and optionally stderr) on pipes; returns the pid or -1.
pid_t Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int* out_fd, int* err_fd) {
  int out_pipe[2];
  int err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || (err_fd != nullptr && pipe2(err_pipe, O_CLOEXEC) != 0)) {
    return -1;
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> envs = MergedEnv(env);
  auto arg_ptrs = Pointers(args);
  auto env_ptrs = Pointers(envs);
  const pid_t parent = getpid();
  // fork rather than posix_spawn: the child asks to be killed when the test dies (a failed
  // assertion under ASan aborts the test; an orphaned `ec2m serve` would hold ctest's pipe open
  // until the test's timeout). Only async-signal-safe calls between fork and exec.
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(127);
    }
    dup2(out_pipe[1], 1);
    if (err_fd != nullptr) {
      dup2(err_pipe[1], 2);
    }
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
      dup2(null_fd, 0);
    }
    execvpe(args[0].c_str(), arg_ptrs.data(), env_ptrs.data());
    _exit(127);
  }
  const int rc = pid < 0 ? errno : 0;
  close(out_pipe[1]);
  if (err_fd != nullptr) {
    close(err_pipe[1]);
  }
  if (rc != 0) {
    close(out_pipe[0]);
    if (err_fd != nullptr) {
      close(err_pipe[0]);
    }
    errno = rc;
    return -1;
  }
  *out_fd = out_pipe[0];
  if (err_fd != nullptr) {
    *err_fd = err_pipe[0];
  }
  return pid;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env,
                         std::chrono::seconds timeout) {
  CommandResult result;
  int out_fd = -1;
  int err_fd = -1;
  const pid_t pid = Spawn(argv, env, &out_fd, &err_fd);
  if (pid < 0) {
    result.err = std::string("cannot start ") + argv[0] + ": " + std::strerror(errno);
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  bool killed = false;
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
        const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
        if (n > 0) {
          (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
        } else {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        }
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) {
      close(f.fd);
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = killed ? -1 : DecodeStatus(status);
  if (killed) {
    result.err += "\n(killed after timeout)";
  }
  return result;
}

Subprocess::~Subprocess() {
  if (pid_ > 0) {
    Stop(SIGTERM);
  }
}

bool Subprocess::Start(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env) {
  pid_ = Spawn(argv, env, &stdout_fd_, nullptr);
  return pid_ > 0;
}

std::optional<std::string> Subprocess::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || stdout_fd_ < 0) {
      return std::nullopt;
    }
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
      continue;
    }
    char buf[4096];
    const ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) {
      return std::nullopt;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

int Subprocess::Stop(int signal) {
  if (pid_ <= 0) {
    return -1;
  }
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return DecodeStatus(status);
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = (std::filesystem::temp_directory_path() /
           ("ec2m-test-" + std::to_string(getpid()) + "-" + std::to_string(rd())))
              .string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace ec2m::testing
