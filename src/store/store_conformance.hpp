#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "core/store.hpp"

namespace ec2m::store {

// Makes a fresh, empty Store for one test. The store owns whatever backs it (a temp file, a
// scratch schema) and releases it when destroyed. Called once per test, on the test's thread.
using StoreFactory = std::function<std::unique_ptr<Store>()>;

// The behaviour every Store implementation must show, as a value-parameterized GoogleTest suite
// (the cases are in store_conformance.cpp). An implementation's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(StoreFactory(...)));
//
// and links "$<LINK_LIBRARY:WHOLE_ARCHIVE,ec2m_store_conformance>", since nothing else references
// the cases' object file and a plain static link would drop their registrations.
//
// Besides what store.hpp states, the suite pins two rules every implementation follows:
//  - a record with an empty kind or id fails the whole batch with kInvalidArgument;
//  - a batch applies its deletes before its upserts, so a key in both ends up upserted.
class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;

  std::unique_ptr<Store> store_;
};

}  // namespace ec2m::store
