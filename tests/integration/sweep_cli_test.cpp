// `podium sweep` end to end: spec errors, the task grid, resuming a killed local run, merge's
// report of missing and failed tasks, and the Kubernetes Indexed Job: its fields checked
// against the batch/v1 schema excerpt (sweep/job_schema.json) and every index run here with
// JOB_COMPLETION_INDEX set, merged, and compared with the --local run (the Slurm executor
// has its own test, sweep/slurm_test.sh, label `slurm`).

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "../support/run_podium.hpp"

namespace podium::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kSource = PODIUM_SOURCE_DIR;
const std::string kGrid = kSource + "/tests/integration/sweep/grid.yaml";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A shell command run in the source tree (the grid names workloads relative to it).
PodiumRun shell(const std::string& command) {
  PodiumRun r;
  FILE* pipe = ::popen(("cd " + quote(kSource) + " && " + command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) r.out += buf;
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

PodiumRun podium(const std::string& args) { return shell(quote(kPodiumBinary) + " " + args); }

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "podium-sweep-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

Json read_json(const std::string& path) {
  std::ifstream in(path);
  return Json::parse(in);
}

// Merged results of two executors agree (placement items exactly, measurements by presence).
void expect_same_results(const std::string& a, const std::string& b) {
  const auto r = shell("python3 tests/integration/sweep/same_results.py " + quote(a) + " " + quote(b));
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

std::string local_merged(const TempDir& tmp) {
  const auto run = podium("sweep run " + quote(kGrid) + " --local --jobs 2 --results " + quote(tmp / "local"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const auto merge = podium("sweep merge " + quote(tmp / "local") + " --out " + quote(tmp / "local.json"));
  EXPECT_EQ(merge.exit_code, 0) << merge.out;
  return tmp / "local.json";
}

TEST(SweepSpec, ErrorsNameTheFileTheKeyAndTheLine) {
  TempDir tmp;
  struct Case {
    const char* what;
    std::string yaml;
    std::string expect;
  };
  const std::string head = "name: t\ncommand: bench\n";
  const Case cases[] = {
      {"unknown top-level key", head + "axes: [{name: seed, option: --seed, values: [1]}]\naxse: []\n",
       "axse: unknown field; did you mean \"axes\"? (line 4)"},
      {"missing axes", head, "missing required key axes"},
      {"unknown axis key", head + "axes:\n  - {name: seed, optoin: --seed, values: [1]}\n", "axes[0].optoin: unknown field"},
      {"empty values", head + "axes:\n  - {name: seed, option: --seed, values: []}\n",
       "axes[0].values: expected a non-empty list of values (line 4)"},
      {"option without dash", head + "axes:\n  - {name: seed, option: seed, values: [1]}\n", "axes[0].option: expected a podium option"},
      {"duplicate value", head + "axes:\n  - {name: seed, option: --seed, values: [1, 1]}\n", "duplicate value \"1\""},
      {"duplicate axis", head + "axes:\n  - {name: s, values: [1]}\n  - {name: s, values: [2]}\n", "duplicate axis name"},
      {"unknown command", "name: t\ncommand: sweep\naxes: [{name: a, values: [1]}]\n", "command: unknown command \"sweep\""},
      {"bad name", "name: Bad_Name\ncommand: bench\naxes: [{name: a, values: [1]}]\n", "name: a sweep name is"},
      {"output option in args", head + "args: [--out, x.json]\naxes: [{name: a, values: [1]}]\n",
       "--out is given by the sweep"},
      {"wrong type", head + "repetitions: many\naxes: [{name: a, values: [1]}]\n", "repetitions:"},
  };
  for (const auto& c : cases) {
    const std::string file = write_file(tmp / "spec.yaml", c.yaml);
    const auto r = podium("sweep plan " + quote(file));
    EXPECT_EQ(r.exit_code, 2) << c.what << ": " << r.out;
    EXPECT_NE(r.out.find(file + ": "), std::string::npos) << c.what << ": " << r.out;
    EXPECT_NE(r.out.find(c.expect), std::string::npos) << c.what << ": " << r.out;
  }
}

TEST(SweepPlan, ExpandsTheGridLastAxisFastestIntoFixedArgv) {
  EXPECT_EQ(podium("sweep plan " + quote(kGrid) + " --count").out, "4\n");
  const auto r = podium("sweep plan " + quote(kGrid) + " --results out");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("0001-workload=scheduling_basic-algorithm=default-seed=2: podium 'bench' "
                       "'bench/workloads/scheduling_basic.yaml' '--label' 'short'"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("'--algorithm' 'best-fit' '--seed' '1' '--out' "
                       "'out/0002-workload=scheduling_basic-algorithm=best_fit-seed=1.json'"),
            std::string::npos)
      << r.out;
}

TEST(SweepRun, ARerunSkipsFinishedTasksAndRetriesTheRest) {
  TempDir tmp;
  const std::string first = local_merged(tmp);
  const std::string stem = "0002-workload=scheduling_basic-algorithm=best_fit-seed=1";
  fs::remove(tmp / ("local/" + stem + ".task.json"));  // as if killed before its record
  const auto again = podium("sweep run " + quote(kGrid) + " --local --results " + quote(tmp / "local"));
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("4 task(s), 3 finished already, 1 to run"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("[1/1] " + stem + " ok"), std::string::npos) << again.out;
  ASSERT_EQ(podium("sweep merge " + quote(tmp / "local") + " --out " + quote(tmp / "again.json")).exit_code, 0);
  expect_same_results(first, tmp / "again.json");
}

TEST(SweepRun, AnInterruptKillsTheTasksAndLeavesNoPartialFile) {
  TempDir tmp;
  // Tasks long enough to be caught running: all-distinct pods at 5,000 nodes / 150,000 pods
  // (seconds a task; SchedulingBasic got fast enough to finish inside the 200 ms below).
  const std::string spec = write_file(tmp / "slow.yaml",
                                      "name: slow\ncommand: bench\nargs: [--workload, DistinctRequests/5000Nodes_150000Pods, "
                                      "--threads, '1', --format, json, --timing-samples, '0']\naxes:\n  - name: workload\n"
                                      "    values: [bench/workloads/distinct_requests.yaml]\n  - name: seed\n"
                                      "    option: --seed\n    values: [1, 2]\n");
  const std::string results = tmp / "results";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::chdir(kSource.c_str());
    ::execl(kPodiumBinary.c_str(), "podium", "sweep", "run", spec.c_str(), "--local", "--jobs", "2", "--results",
            results.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait for both tasks to start (their logs appear), then Ctrl-C.
  for (int i = 0; i < 200; ++i) {
    int logs = 0;
    if (fs::exists(results))
      for (const auto& e : fs::directory_iterator(results)) logs += e.path().extension() == ".log";
    if (logs == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGINT);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(results)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"sweep.json"});
}

TEST(SweepMerge, ReportsMissingAndFailedTasksAndStillWritesTheTable) {
  TempDir tmp;
  const std::string spec =
      write_file(tmp / "mixed.yaml",
                 "name: mixed\ncommand: bench\nargs: [--label, short, --format, json, --threads, '1', --timing-samples, "
                 "'0']\naxes:\n  - name: workload\n    values: [bench/workloads/scheduling_basic.yaml]\n"
                 "  - name: algorithm\n    option: --algorithm\n    values: [first-fit, no-such-algorithm, best-fit]\n");
  const auto run = podium("sweep run " + quote(spec) + " --local --results " + quote(tmp / "r"));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  fs::remove(tmp / "r/0002-workload=scheduling_basic-algorithm=best_fit.task.json");
  const auto merge = podium("sweep merge " + quote(tmp / "r") + " --out " + quote(tmp / "m.json") + " --csv " +
                            quote(tmp / "m.csv"));
  EXPECT_EQ(merge.exit_code, 1) << merge.out;
  EXPECT_NE(merge.out.find("1 of 3 task output(s) merged; missing 1: 2; failed 1: 1"), std::string::npos) << merge.out;
  const Json m = read_json(tmp / "m.json");
  EXPECT_EQ(m["sweep"]["failed"][0]["exitStatus"], 2);
  EXPECT_EQ(m["sweep"]["missing"][0]["index"], 2);
  ASSERT_FALSE(m["dataItems"].empty());
  for (const auto& item : m["dataItems"]) {
    EXPECT_EQ(item["labels"]["sweepTask"], "0");
    EXPECT_EQ(item["labels"]["algorithm"], "first-fit");
  }
  std::ifstream csv(tmp / "m.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "task,workload,algorithm,metric,labels,field,value,unit");
}

TEST(SweepMerge, AReplayResultPerAlgorithmBecomesAnItemWithItsNumbers) {
  // A replay grid (the shape of bench/sweeps/fgd-grid.yaml, two tasks): each task's
  // `results[]` entry is an item labelled with its algorithm, carrying the allocation ratio.
  TempDir tmp;
  const std::string spec = write_file(
      tmp / "replay.yaml",
      "name: replay\ncommand: replay\nargs: [--nodes, datasets/openb/data/openb_node_list_gpu_node.csv, --pods, "
      "datasets/openb/data/openb_pod_list_cpu050.csv, --until, '0.5', --threads, '1']\naxes:\n  - name: algorithm\n"
      "    option: --algorithm\n    values: [fgd, best-fit]\n");
  const auto run = podium("sweep run " + quote(spec) + " --local --results " + quote(tmp / "r"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto merge = podium("sweep merge " + quote(tmp / "r") + " --out " + quote(tmp / "m.json"));
  ASSERT_EQ(merge.exit_code, 0) << merge.out;
  const Json m = read_json(tmp / "m.json");
  ASSERT_EQ(m["dataItems"].size(), 2u);
  for (const auto& item : m["dataItems"]) {
    EXPECT_EQ(item["labels"]["Metric"], "replay");
    EXPECT_EQ(item["labels"]["pods_file"], "datasets/openb/data/openb_pod_list_cpu050.csv");
    const double ratio = item["data"]["gpu_allocation_ratio"];
    EXPECT_GT(ratio, 0.3);  // --until 0.5: about half the GPUs asked for, nearly all placed
    EXPECT_LE(ratio, 0.5);
    EXPECT_TRUE(item["data"].contains("pods_placed"));
  }
  EXPECT_EQ(m["dataItems"][0]["labels"]["algorithm"], "fgd");
  EXPECT_EQ(m["dataItems"][1]["labels"]["algorithm"], "best-fit");
}

TEST(SweepTask, TakesItsIndexFromTheEnvironmentStrictly) {
  TempDir tmp;
  const auto bad = shell("JOB_COMPLETION_INDEX=1x " + quote(kPodiumBinary) + " sweep task " + quote(kGrid) +
                         " --index-from JOB_COMPLETION_INDEX --results " + quote(tmp / "r"));
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("JOB_COMPLETION_INDEX: not a task index: \"1x\""), std::string::npos) << bad.out;
  const auto range = podium("sweep task " + quote(kGrid) + " --index 4 --results " + quote(tmp / "r"));
  EXPECT_EQ(range.exit_code, 2) << range.out;
  EXPECT_NE(range.out.find("task 4 is out of range"), std::string::npos) << range.out;
}

// --- Kubernetes ---

// Checks `node` against type `type` of the schema excerpt; failures name the path.
void check_schema(const Json& schema, const std::string& type, const YAML::Node& node, const std::string& path) {
  auto plain_int = [](const YAML::Node& n) {
    if (!n.IsScalar() || n.Tag() == "!") return false;
    try {
      const long long v = n.as<long long>();
      return v >= INT32_MIN && v <= INT32_MAX;
    } catch (const YAML::Exception&) {
      return false;
    }
  };
  // A string field must not read as another YAML type (a plain 12 or true is not a string).
  auto string_like = [&](const YAML::Node& n) {
    if (!n.IsScalar()) return false;
    if (n.Tag() == "!") return true;
    const std::string s = n.Scalar();
    return !plain_int(n) && s != "true" && s != "false" && s != "null" && s != "~" && !s.empty();
  };
  if (type.rfind("[]", 0) == 0) {
    ASSERT_TRUE(node.IsSequence()) << path << ": expected a list";
    for (std::size_t i = 0; i < node.size(); ++i)
      check_schema(schema, type.substr(2), node[i], path + "[" + std::to_string(i) + "]");
    return;
  }
  if (type.rfind("map[", 0) == 0) {
    ASSERT_TRUE(node.IsMap()) << path << ": expected a mapping";
    for (const auto& kv : node)
      check_schema(schema, type.substr(4, type.size() - 5), kv.second, path + "." + kv.first.Scalar());
    return;
  }
  if (type == "string") {
    EXPECT_TRUE(string_like(node)) << path << ": expected a string";
  } else if (type == "int32") {
    EXPECT_TRUE(plain_int(node)) << path << ": expected an int32";
  } else if (type == "boolean") {
    EXPECT_TRUE(node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) << path;
  } else if (type == "quantity") {
    EXPECT_TRUE(string_like(node) || plain_int(node)) << path << ": expected a quantity";
  } else if (type.rfind("enum:", 0) == 0) {
    const std::string allowed = "," + type.substr(5) + ",";
    EXPECT_TRUE(string_like(node) && allowed.find("," + node.Scalar() + ",") != std::string::npos)
        << path << ": expected one of " << type.substr(5);
  } else {
    ASSERT_TRUE(schema["types"].contains(type)) << "schema has no type " << type;
    ASSERT_TRUE(node.IsMap()) << path << ": expected a mapping (" << type << ")";
    const Json& fields = schema["types"][type];
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      ASSERT_TRUE(fields.contains(key)) << path << "." << key << ": not a field of " << type;
      check_schema(schema, fields[key].get<std::string>(), kv.second, path + "." + key);
    }
    if (schema["required"].contains(type)) {
      for (const auto& r : schema["required"][type]) {
        EXPECT_TRUE(node[r.get<std::string>()]) << path << ": no " << r;
      }
    }
  }
}

YAML::Node emit_job(const TempDir& tmp, const std::string& extra) {
  const auto r = podium("sweep emit tests/integration/sweep/grid.yaml --kubernetes --image podium:test --parallelism 3 " +
                        extra + " --output " + quote(tmp / "job.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return YAML::LoadFile(tmp / "job.yaml");
}

TEST(SweepKubernetes, TheJobUsesBatchV1FieldsWithTheirTypes) {
  TempDir tmp;
  const Json schema = read_json(kSource + "/tests/integration/sweep/job_schema.json");
  for (const std::string extra : {"", "--claim sweep-results"}) {
    const YAML::Node job = emit_job(tmp, extra);
    check_schema(schema, schema["root"], job, "");
    EXPECT_EQ(job["spec"]["completionMode"].Scalar(), "Indexed");
    EXPECT_EQ(job["spec"]["completions"].as<int>(), 4);
    EXPECT_EQ(job["spec"]["parallelism"].as<int>(), 3);
    const YAML::Node pod = job["spec"]["template"]["spec"];
    EXPECT_EQ(pod["restartPolicy"].Scalar(), "Never");  // Indexed Jobs: Never or OnFailure
    const auto args = pod["containers"][0]["args"].as<std::vector<std::string>>();
    EXPECT_NE(std::find(args.begin(), args.end(), "JOB_COMPLETION_INDEX"), args.end());
    EXPECT_EQ(pod["containers"][0]["volumeMounts"][0]["name"].Scalar(), pod["volumes"][0]["name"].Scalar());
    EXPECT_EQ(static_cast<bool>(pod["volumes"][0]["persistentVolumeClaim"]), !extra.empty());
    EXPECT_EQ(static_cast<bool>(pod["volumes"][0]["emptyDir"]), extra.empty());
  }
}

// Runs index i of the Job's container here: its command and args, in its workingDir (the
// source tree here), JOB_COMPLETION_INDEX=i, its /results mount mapped to `results_root`.
PodiumRun run_index(const YAML::Node& job, int i, const std::string& results_root) {
  const YAML::Node c = job["spec"]["template"]["spec"]["containers"][0];
  const std::string mount = c["volumeMounts"][0]["mountPath"].Scalar();
  EXPECT_EQ(c["command"][0].Scalar(), "podium");
  std::string line = "JOB_COMPLETION_INDEX=" + std::to_string(i) + " " + quote(kPodiumBinary);
  for (const auto& a : c["args"]) {
    std::string arg = a.Scalar();
    if (arg.rfind(mount, 0) == 0) arg = results_root + arg.substr(mount.size());
    line += " " + quote(arg);
  }
  return shell(line);
}

TEST(SweepKubernetes, EveryIndexRunLocallyMergesToTheLocalRun) {
  TempDir tmp;
  const YAML::Node job = emit_job(tmp, "--claim sweep-results");
  for (int i = 0; i < job["spec"]["completions"].as<int>(); ++i) {
    const auto r = run_index(job, i, tmp / "pvc");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  ASSERT_EQ(podium("sweep merge " + quote(tmp / "pvc/test-grid") + " --out " + quote(tmp / "k8s.json")).exit_code, 0);
  expect_same_results(tmp / "k8s.json", local_merged(tmp));
}

TEST(SweepKubernetes, WithAnEmptyDirTheResultsTravelThroughTheLogs) {
  TempDir tmp;
  const YAML::Node job = emit_job(tmp, "");
  std::string logs;
  for (int i = 0; i < job["spec"]["completions"].as<int>(); ++i) {
    const auto r = run_index(job, i, tmp / ("pod" + std::to_string(i)));  // each pod its own emptyDir
    ASSERT_EQ(r.exit_code, 0) << r.out;
    logs += r.out;  // what `kubectl logs` returns: stdout and stderr
  }
  write_file(tmp / "all.logs", logs);
  const auto collect = podium("sweep collect " + quote(tmp / "all.logs") + " --results " + quote(tmp / "collected"));
  ASSERT_EQ(collect.exit_code, 0) << collect.out;
  ASSERT_EQ(podium("sweep merge " + quote(tmp / "collected") + " --out " + quote(tmp / "k8s.json")).exit_code, 0);
  expect_same_results(tmp / "k8s.json", local_merged(tmp));
}

}  // namespace
}  // namespace podium::testing
