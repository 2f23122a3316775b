// What the end-to-end tests share: starting devsim and agents, running
// coord as a user does, and reading its jsonl back through a proto of the
// output contract (so a field renamed or mistyped fails the parse).
#ifndef NETSHARD_TESTS_E2E_E2E_FIXTURE_H_
#define NETSHARD_TESTS_E2E_E2E_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "e2e/jsonl_record.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"

namespace netshard {

constexpr int kDevices = 200;
constexpr int kWrongPasswordDevice = 57;  // 0-based inventory position

struct Record {
  std::string name;
  bool ok = false;
  std::string code;
  std::string agent;
  std::string platform;  // what the device was driven as
  std::string output;  // of the first command
  std::string message;
  std::vector<testing::JsonlRecord::Output> outputs;
};

// Each line of `text` as a Record; a line that is not a valid record fails
// the test.
std::vector<Record> ParseJsonl(const std::string& text);

// 127.0.0.1 and a port nobody listens on yet, for an agent or a dead one.
std::string LoopbackAddress();

// Starts devsim with `args`, its inventory in `dir`/`name`.yaml and its log
// in `dir`/`name`.log, and waits until the inventory (its "ready") appears.
std::unique_ptr<testing::Subprocess> StartDevsim(const std::string& dir, const std::string& name,
                                                 const std::vector<std::string>& args);

// Peak resident memory of process `pid` in KiB (VmHWM), or -1.
long PeakRssKib(int pid);

// A fresh directory, coord's state under it, and a 200-device devsim fleet
// (20 ms per command) whose inventory fleet.yaml has one wrong password.
class E2eFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<testing::Subprocess> StartAgent(const std::string& address,
                                                  const std::string& log,
                                                  const std::string& workers = "100",
                                                  const std::vector<std::string>& extra = {});

  // Runs coord with `args` (its stdout to `out` in the test's directory, its
  // stderr to coord.err); returns its exit status.
  int Coord(const std::vector<std::string>& args, const std::string& out = "coord.out");

  // Starts coord with `args` in the background, as a user at a terminal
  // would; stdout to `out` (a path in the test's directory: a file or a
  // FIFO), stderr to `err`.
  std::unique_ptr<testing::Subprocess> StartCoord(const std::vector<std::string>& args,
                                                  const std::string& out = "coord.out",
                                                  const std::string& err = "coord.err");

  // The 200-device fleet's results: every device once, sim58 AUTH_FAILED.
  void ExpectFleetResults(const std::vector<Record>& records, bool input_order);

  std::string dir_;
  std::unique_ptr<testing::Subprocess> devsim_;
};

}  // namespace netshard

#endif  // NETSHARD_TESTS_E2E_E2E_FIXTURE_H_
