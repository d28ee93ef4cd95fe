#pragma once

#include <optional>
#include <string>

// What `ec2m` commands read from stdin: prompts go to stderr (stdout stays the answer), and
// secrets are not echoed at a terminal.
namespace ec2m::app {

// True when stdin is a terminal, where a person can answer a prompt.
bool StdinIsTerminal();

// Prints `prompt` to stderr and reads one line, not echoed when stdin is a terminal. "" at the
// end of input.
std::string ReadSecret(const char* prompt);

// Prints `prompt` to stderr and reads one line. "" at the end of input.
std::string Prompt(const char* prompt);

// One line of stdin, without a prompt (the --password-stdin flags); nullopt at the end of input.
std::optional<std::string> ReadLine();

}  // namespace ec2m::app
