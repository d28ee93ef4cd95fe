#include "app/terminal_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace ec2m::app {

bool StdinIsTerminal() { return isatty(STDIN_FILENO) != 0; }

std::string ReadSecret(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");  // the Enter that was not echoed
  }
  return line;
}

std::string Prompt(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  std::string line;
  std::getline(std::cin, line);
  return line;
}

std::optional<std::string> ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  return line;
}

}  // namespace ec2m::app
