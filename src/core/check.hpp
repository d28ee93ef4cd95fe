#pragma once

#include <cstdio>
#include <cstdlib>

// EC2M_CHECK(cond, msg): aborts on a programmer error. Never use it on input; input gets a Result.
#define EC2M_CHECK(cond, msg)                                                                \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", __FILE__, __LINE__, #cond, msg); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
