// The Kubernetes manifests in deploy/kubernetes, checked without a cluster:
// every object well formed, every reference between them resolving
// (selectors, volumes, Secrets, ConfigMaps, the Service the coordinator's
// --agent-dns names), every flag one the built agent or coord accepts, and
// the embedded inventory and credentials files loadable by netshard itself.
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agent/agent_credentials.h"
#include "common/inventory/inventory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

using ::testing::HasSubstr;

// What `argv` prints (stdout), run to completion.
std::string Output(const std::vector<std::string>& argv, const std::string& name) {
  std::string path = ::testing::TempDir() + "/" + name + ".help";
  auto process = testing::Subprocess::Start(argv, path, "");
  EXPECT_TRUE(process.ok());
  if (process.ok()) {
    EXPECT_TRUE((*process)->Wait(absl::Seconds(30)).ok());
  }
  return testing::ReadFile(path);
}

class ManifestsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const auto& file :
         std::filesystem::directory_iterator(testing::SourceDir() + "/deploy/kubernetes")) {
      if (file.path().extension() != ".yaml") continue;
      for (YAML::Node& doc : YAML::LoadAllFromFile(file.path().string())) {
        if (!doc.IsNull()) objects_->push_back({file.path().filename().string(), doc});
      }
    }
  }

  // The only object of `kind` named `name` (or the only one of the kind).
  static YAML::Node Find(const std::string& kind, const std::string& name = "") {
    std::vector<YAML::Node> found;
    for (const auto& [file, doc] : *objects_) {
      if (doc["kind"].Scalar() == kind && (name.empty() || doc["metadata"]["name"].Scalar() == name)) {
        found.push_back(doc);
      }
    }
    EXPECT_EQ(found.size(), 1u) << kind << " " << name;
    return found.empty() ? YAML::Node() : found[0];
  }

  // Every label `selector` asks for, `labels` has.
  static bool Selects(const YAML::Node& selector, const YAML::Node& labels) {
    for (const auto& label : selector) {
      if (!labels[label.first.Scalar()] ||
          labels[label.first.Scalar()].Scalar() != label.second.Scalar()) {
        return false;
      }
    }
    return selector.size() > 0;
  }

  // Each `--flag` of `args` appears in `help`.
  static void ExpectFlagsKnown(const YAML::Node& args, const std::string& help) {
    for (const YAML::Node& arg : args) {
      if (!absl::StartsWith(arg.Scalar(), "--")) continue;
      std::string flag = arg.Scalar().substr(0, arg.Scalar().find('='));
      EXPECT_THAT(help, HasSubstr(flag + " ")) << "unknown flag " << flag;
    }
  }

  // The value of `--flag=value` in `args`.
  static std::string Flag(const YAML::Node& args, const std::string& flag) {
    for (const YAML::Node& arg : args) {
      if (absl::StartsWith(arg.Scalar(), flag + "=")) return arg.Scalar().substr(flag.size() + 1);
    }
    return "";
  }

  // Mounts name volumes; Secret and ConfigMap volumes name objects here.
  static void ExpectVolumesResolve(const YAML::Node& pod) {
    std::set<std::string> volumes;
    for (const YAML::Node& volume : pod["volumes"]) {
      volumes.insert(volume["name"].Scalar());
      if (volume["secret"]) Find("Secret", volume["secret"]["secretName"].Scalar());
      if (volume["configMap"]) Find("ConfigMap", volume["configMap"]["name"].Scalar());
    }
    for (const YAML::Node& mount : pod["containers"][0]["volumeMounts"]) {
      EXPECT_EQ(volumes.count(mount["name"].Scalar()), 1u) << mount["name"].Scalar();
    }
  }

  static inline auto* objects_ = new std::vector<std::pair<std::string, YAML::Node>>();
};

TEST_F(ManifestsTest, EveryObjectIsWellFormed) {
  ASSERT_GE(objects_->size(), 8u);
  std::set<std::string> kinds;
  for (const auto& [file, doc] : *objects_) {
    ASSERT_TRUE(doc["apiVersion"] && doc["kind"] && doc["metadata"]["name"]) << file;
    kinds.insert(doc["kind"].Scalar());
    if (doc["kind"].Scalar() != "Namespace") {
      EXPECT_EQ(doc["metadata"]["namespace"].Scalar(), "netshard") << file;
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"ConfigMap", "Deployment", "Job", "Namespace",
                                          "NetworkPolicy", "Secret", "Service"}));
}

TEST_F(ManifestsTest, AgentDeploymentRunsTheAgentItClaims) {
  YAML::Node deployment = Find("Deployment");
  YAML::Node pod = deployment["spec"]["template"]["spec"];
  EXPECT_TRUE(Selects(deployment["spec"]["selector"]["matchLabels"],
                      deployment["spec"]["template"]["metadata"]["labels"]));
  YAML::Node args = pod["containers"][0]["args"];
  ASSERT_EQ(args[0].Scalar(), "agent");
  ExpectFlagsKnown(args, Output({testing::BinDir() + "/agent", "--help"}, "agent"));
  // Off loopback the agent insists on TLS; it must be given all of it.
  for (const char* flag : {"--tls-cert", "--tls-key", "--tls-client-ca", "--segment"}) {
    EXPECT_FALSE(Flag(args, flag).empty()) << flag;
  }
  ExpectVolumesResolve(pod);
  for (const YAML::Node& volume : pod["volumes"]) {
    if (volume["name"].Scalar() == "credentials") {
      EXPECT_EQ(volume["secret"]["defaultMode"].Scalar(), "0400");  // private, or refused
    }
  }
}

TEST_F(ManifestsTest, HeadlessServiceListsTheAgentsTheJobDials) {
  YAML::Node service = Find("Service");
  YAML::Node deployment = Find("Deployment");
  EXPECT_EQ(service["spec"]["clusterIP"].Scalar(), "None");
  EXPECT_TRUE(Selects(service["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"]));
  YAML::Node job = Find("Job");
  YAML::Node pod = job["spec"]["template"]["spec"];
  YAML::Node args = pod["containers"][0]["args"];
  ASSERT_EQ(args[0].Scalar(), "coord");
  ASSERT_EQ(args[1].Scalar(), "run");
  ExpectFlagsKnown(args, Output({testing::BinDir() + "/coord", "run", "--help"}, "coord"));
  std::string grpc_port;
  for (const YAML::Node& port : service["spec"]["ports"]) {
    if (port["name"].Scalar() == "grpc") grpc_port = port["port"].Scalar();
  }
  EXPECT_EQ(Flag(args, "--agent-dns"),
            absl::StrCat(service["metadata"]["name"].Scalar(), ".",
                         service["metadata"]["namespace"].Scalar(), ".svc.cluster.local:", grpc_port));
  EXPECT_EQ(Flag(args, "--tls-server-name"), "netshard-agent");  // the agents' certificate name
  ExpectVolumesResolve(pod);
}

TEST_F(ManifestsTest, NetworkPolicyAdmitsTheCoordinatorToTheAgents) {
  YAML::Node policy = Find("NetworkPolicy");
  YAML::Node agent_labels = Find("Deployment")["spec"]["template"]["metadata"]["labels"];
  YAML::Node coord_labels = Find("Job")["spec"]["template"]["metadata"]["labels"];
  EXPECT_TRUE(Selects(policy["spec"]["podSelector"]["matchLabels"], agent_labels));
  EXPECT_TRUE(Selects(policy["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"],
                      coord_labels));
  EXPECT_EQ(policy["spec"]["ingress"][0]["ports"][0]["port"].Scalar(), "50061");
}

TEST_F(ManifestsTest, EmbeddedInventoryAndCredentialsLoad) {
  YAML::Node inventory = Find("ConfigMap", "netshard-inventory");
  YAML::Node job_args = Find("Job")["spec"]["template"]["spec"]["containers"][0]["args"];
  EXPECT_EQ(Flag(job_args, "--inventory"), "/etc/netshard/inventory/devices.yaml");
  absl::StatusOr<Inventory> devices =
      ParseInventory(inventory["data"]["devices.yaml"].Scalar(), "devices.yaml");
  ASSERT_TRUE(devices.ok()) << devices.status();
  for (const Device& device : devices->devices) EXPECT_TRUE(device.agent_credentials);
  YAML::Node credentials = Find("Secret", "netshard-credentials");
  EXPECT_TRUE(AgentCredentials::Parse(credentials["stringData"]["credentials.yaml"].Scalar(),
                                      "credentials.yaml", nullptr)
                  .ok());
}

}  // namespace
}  // namespace netshard
