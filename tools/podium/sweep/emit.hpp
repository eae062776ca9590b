#pragma once
// Job descriptions for cluster engines people already run (docs/SWEEPS.md): a Slurm job
// array script and a Kubernetes batch/v1 Indexed Job. Each array element / index runs
// `podium sweep task SPEC --index I --results DIR`, so every executor runs the same argv
// per task and writes the same results directory.

#include <iosfwd>
#include <string>

#include "spec.hpp"

namespace podium::sweep {

// A word as a POSIX shell reads it back unchanged ('...' with ' escaped).
std::string shell_quote(const std::string& word);

struct SlurmOptions {
  std::string podium;     // absolute path of the podium executable on the compute nodes
  std::string spec;       // absolute path of the spec
  std::string results;    // absolute results directory (shared file system)
  std::string workdir;    // absolute directory the tasks run in (relative paths in the spec)
  int array_limit = 0;    // %LIMIT: most array tasks running at once (0: Slurm decides)
  int cpus_per_task = 1;
  std::string time_limit;  // --time, empty: the partition's default
  std::string partition;   // empty: the default partition
};
void write_slurm_script(std::ostream& out, const Spec& spec, const SlurmOptions& options);

struct KubernetesOptions {
  std::string image = "podium:latest";
  std::string workdir = "/podium";  // the source tree in the image (tools/sweep/Containerfile)
  std::string spec;                 // the spec's path inside the image, relative to workdir
  int parallelism = 4;
  std::string claim;                 // PersistentVolumeClaim for /results; empty: emptyDir
  std::string cpu = "1";             // requests and limits per pod
  std::string memory = "2Gi";
  int backoff_limit = 0;             // retries across all indexes
};
void write_kubernetes_job(std::ostream& out, const Spec& spec, const KubernetesOptions& options);

}  // namespace podium::sweep
