// The evaluator, data-driven: tests/data/alarm_eval/*.txt hold alarms, datapoint series and the
// states they must produce (the format is described at the top of missing_data.txt).

#include "monitor/alarm.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ec2m::monitor {
namespace {

struct Case {
  std::string where;  // file:line
  AlarmSpec spec;
  AlarmState from = AlarmState::kInsufficientData;
  std::vector<std::optional<Aggregate>> periods;
  std::vector<AlarmState> expect;  // one per period, or only the last when `final_only`
  bool final_only = false;
};

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) {
    out.push_back(w);
  }
  return out;
}

AlarmSpec ParseAlarm(const std::vector<std::string>& words, const std::string& where) {
  AlarmSpec spec;
  spec.name = where;
  spec.metric = "Metric";
  for (size_t i = 1; i < words.size(); ++i) {
    const auto eq = words[i].find('=');
    const std::string key = words[i].substr(0, eq);
    const std::string value = words[i].substr(eq + 1);
    if (key == "stat") {
      spec.statistic = ParseStatistic(value).value();
    } else if (key == "period") {
      spec.period_seconds = std::stoi(value);
    } else if (key == "n") {
      spec.evaluation_periods = std::stoi(value);
    } else if (key == "m") {
      spec.datapoints_to_alarm = std::stoi(value);
    } else if (key == "cmp") {
      spec.comparison = ParseComparison(value).value();
    } else if (key == "threshold") {
      spec.threshold = std::stod(value);
    } else if (key == "missing") {
      spec.missing = ParseMissingData(value).value();
    } else {
      ADD_FAILURE() << where << ": unknown key " << key;
    }
  }
  EXPECT_TRUE(ValidateAlarmSpec(spec)) << where;
  return spec;
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  const std::filesystem::path dir =
      std::filesystem::path(EC2M_SOURCE_DIR) / "tests/data/alarm_eval";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    int number = 0;
    AlarmSpec spec;
    Case pending;
    while (std::getline(in, line)) {
      ++number;
      const std::string where = file.filename().string() + ":" + std::to_string(number);
      const auto words = Words(line);
      if (words.empty() || words[0][0] == '#') {
        continue;
      }
      if (words[0] == "alarm") {
        spec = ParseAlarm(words, where);
      } else if (words[0] == "series") {
        pending = Case{where, spec};
        for (size_t i = 1; i < words.size(); ++i) {
          if (words[i].rfind("from=", 0) == 0) {
            pending.from = ParseAlarmState(words[i].substr(5)).value();
          } else if (words[i] == "-") {
            pending.periods.emplace_back(std::nullopt);
          } else {
            Aggregate a;
            std::istringstream samples(words[i]);
            std::string sample;
            while (std::getline(samples, sample, ',')) {
              a.Add(std::stod(sample));
            }
            pending.periods.emplace_back(a);
          }
        }
      } else if (words[0] == "expect" || words[0] == "final") {
        pending.final_only = words[0] == "final";
        for (size_t i = 1; i < words.size(); ++i) {
          pending.expect.push_back(ParseAlarmState(words[i]).value());
        }
        cases.push_back(pending);
      } else {
        ADD_FAILURE() << where << ": unknown line " << line;
      }
    }
  }
  return cases;
}

std::string Names(const std::vector<AlarmState>& states) {
  std::string out;
  for (auto s : states) {
    out += out.empty() ? "" : " ";
    out += AlarmStateName(s);
  }
  return out;
}

TEST(AlarmEvaluation, DataFiles) {
  const auto cases = LoadCases();
  ASSERT_GE(cases.size(), 60U);
  for (const auto& c : cases) {
    const auto range = static_cast<size_t>(c.spec.EvaluationRange());
    std::vector<std::optional<double>> values;
    for (const auto& p : c.periods) {
      values.push_back(p ? p->Value(c.spec.statistic) : std::nullopt);
    }
    std::vector<AlarmState> states;
    AlarmState state = c.from;
    for (size_t i = 0; i < values.size(); ++i) {
      // The range ending at period i; periods before the series are missing.
      std::vector<std::optional<double>> window;
      for (size_t k = range; k > 0; --k) {
        const auto index = static_cast<int64_t>(i) - static_cast<int64_t>(k - 1);
        window.push_back(index < 0 ? std::nullopt : values[static_cast<size_t>(index)]);
      }
      const Evaluation e = Evaluate(c.spec, window, state);
      EXPECT_FALSE(e.reason.empty()) << c.where;
      state = e.state;
      states.push_back(state);
    }
    if (c.final_only) {
      ASSERT_EQ(c.expect.size(), 1U) << c.where;
      EXPECT_EQ(Names({states.back()}), Names(c.expect)) << c.where;
    } else {
      EXPECT_EQ(Names(states), Names(c.expect)) << c.where;
    }
  }
}

TEST(AlarmEvaluation, ReasonNamesTheDatapointsAndTheRule) {
  AlarmSpec spec{.name = "errors", .metric = "ServerErrors"};
  spec.statistic = ParseStatistic("Sum").value();
  spec.evaluation_periods = 3;
  spec.datapoints_to_alarm = 2;
  spec.threshold = 5;
  const std::vector<std::optional<double>> range = {1, 6, std::nullopt, 7, 2};
  const Evaluation e = Evaluate(spec, range, AlarmState::kOk);
  EXPECT_EQ(e.state, AlarmState::kAlarm);
  EXPECT_EQ(e.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [6, 7, 2] were greater than or "
            "equal to the threshold (5)");
}

TEST(AlarmSpecValidation, NamesTheField) {
  AlarmSpec spec{.name = "latency", .metric = "Latency"};
  spec.period_seconds = 90;
  auto r = ValidateAlarmSpec(spec);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "alarm \"latency\": period: expected a positive multiple of 60 seconds, got 90");
  spec.period_seconds = 3600;
  spec.evaluation_periods = 25;
  spec.datapoints_to_alarm = 1;
  r = ValidateAlarmSpec(spec);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("at most one day"), std::string::npos);
  spec.evaluation_periods = 2;
  spec.datapoints_to_alarm = 3;
  r = ValidateAlarmSpec(spec);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "alarm \"latency\": datapointsToAlarm: expected 1..2 (evaluationPeriods), got 3");
  EXPECT_FALSE(ParseComparison("Bigger"));
  EXPECT_EQ(ParseMissingData("nope").error().message,
            "expected one of missing, notBreaching, breaching, ignore, got \"nope\"");
}

TEST(Statistics, ParseAndName) {
  for (const char* name : {"Sum", "Average", "Minimum", "Maximum", "SampleCount", "p90", "p99.9"}) {
    auto s = ParseStatistic(name);
    ASSERT_TRUE(s) << name;
    EXPECT_EQ(s->Name(), name);
  }
  for (const char* bad : {"", "avg", "p", "p0", "p100", "p9x"}) {
    EXPECT_FALSE(ParseStatistic(bad)) << bad;
  }
}

TEST(Aggregate, PercentilesPastTheExactLimitStayWithinOnePercent) {
  Aggregate a;
  for (int i = 1; i <= 100000; ++i) {
    a.Add(i);
  }
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const double want = p / 100 * 100000;
    const double got = a.Value(Statistic{Statistic::Kind::kPercentile, p}).value();
    EXPECT_NEAR(got, want, want * 0.011) << "p" << p;
  }
  EXPECT_EQ(a.Value(ParseStatistic("SampleCount").value()), 100000);
  EXPECT_EQ(a.Value(ParseStatistic("Minimum").value()), 1);
  EXPECT_EQ(a.Value(ParseStatistic("Maximum").value()), 100000);
}

TEST(Aggregate, MergeAndJsonRoundTripKeepEveryStatistic) {
  Aggregate small;
  Aggregate large;
  for (int i = 0; i < 10; ++i) {
    small.Add(i - 2);  // some values <= 0
  }
  for (int i = 1; i <= 1000; ++i) {
    large.Add(i * 0.5);
  }
  Aggregate merged = small;
  merged.Merge(large);
  auto back = Aggregate::FromJson(merged.ToJson());
  ASSERT_TRUE(back);
  for (const char* name : {"Sum", "Average", "Minimum", "Maximum", "SampleCount", "p10", "p90"}) {
    const Statistic s = ParseStatistic(name).value();
    EXPECT_EQ(back->Value(s), merged.Value(s)) << name;
  }
  EXPECT_EQ(merged.Value(ParseStatistic("Minimum").value()), -2);
  EXPECT_EQ(merged.count(), 1010U);
  // p0.5 falls among the non-positive samples: answered as 0 (or below, the true maximum of them).
  EXPECT_LE(merged.Value(Statistic{Statistic::Kind::kPercentile, 0.2}).value(), 0);
  EXPECT_FALSE(Aggregate().Value(ParseStatistic("Sum").value()));
  EXPECT_FALSE(Aggregate::FromJson(nlohmann::json{{"n", "x"}}));
}

}  // namespace
}  // namespace ec2m::monitor
