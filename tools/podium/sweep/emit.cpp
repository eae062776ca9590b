// Slurm job array scripts and Kubernetes Indexed Jobs for a sweep (emit.hpp).

#include "emit.hpp"

#include <ostream>
#include <sstream>
#include <stdexcept>

#include "../json_writer.hpp"

namespace podium::sweep {
namespace {

// #SBATCH lines are not read by a shell: Slurm splits them at whitespace and has no quoting
// we can rely on across versions, so such values must not need any.
void require_plain(const std::string& what, const std::string& value) {
  for (char c : value)
    if (c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' || c == '\\')
      throw std::invalid_argument(what + " \"" + value + "\" would need quoting in an #SBATCH line; use a path without "
                                  "spaces, quotes or backslashes");
}

// A YAML double-quoted scalar: JSON string syntax is a subset of it.
std::string yq(const std::string& s) {
  std::ostringstream out;
  cli::write_json_string(out, s);
  return out.str();
}

}  // namespace

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out.append("'\\''");
    else out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

void write_slurm_script(std::ostream& out, const Spec& spec, const SlurmOptions& o) {
  const std::size_t n = task_count(spec);
  require_plain("the results directory", o.results);
  require_plain("the working directory", o.workdir);
  out << "#!/bin/bash\n"
      << "# podium sweep " << spec.name << ": " << n << " task(s) of `podium " << spec.command
      << "` as a Slurm job array (docs/SWEEPS.md).\n"
      << "# Submit with: sbatch THIS_FILE. Array task I runs `podium sweep task SPEC --index I`; results, task logs\n"
      << "# and Slurm's own logs go to the results directory, which every node must see (a shared file system).\n"
      << "# Then: podium sweep merge " << o.results << " --out results.json\n";
  if (n > 1001)
    out << "# NOTE: " << n << " tasks exceed Slurm's default MaxArraySize (1001): raise it in slurm.conf.\n";
  out << "#SBATCH --job-name=podium-sweep-" << spec.name << "\n"
      << "#SBATCH --array=0-" << (n - 1);
  if (o.array_limit > 0) out << "%" << o.array_limit;
  out << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << o.cpus_per_task << "\n"
      << "#SBATCH --chdir=" << o.workdir << "\n"
      << "#SBATCH --output=" << o.results << "/slurm-%A_%a.out\n";
  if (!o.time_limit.empty()) out << "#SBATCH --time=" << o.time_limit << "\n";
  if (!o.partition.empty()) out << "#SBATCH --partition=" << o.partition << "\n";
  out << "set -euo pipefail\n"
      << "exec " << shell_quote(o.podium) << " sweep task " << shell_quote(o.spec)
      << " --index \"$SLURM_ARRAY_TASK_ID\" --results " << shell_quote(o.results) << "\n";
}

void write_kubernetes_job(std::ostream& out, const Spec& spec, const KubernetesOptions& o) {
  const std::size_t n = task_count(spec);
  const std::string results = "/results/" + spec.name;
  out << "# podium sweep " << spec.name << ": " << n << " task(s) of `podium " << spec.command
      << "` as a Kubernetes Indexed Job (docs/SWEEPS.md).\n"
      << "# Index I runs `podium sweep task SPEC --index-from JOB_COMPLETION_INDEX` in the image built from\n"
      << "# tools/sweep/Containerfile. ";
  if (o.claim.empty())
    out << "Results go to an emptyDir, which dies with its pod: each task prints its record and\n"
        << "# output to its log (--print-results); collect them with\n"
        << "#   for p in $(kubectl get pods -l podium.dev/sweep=" << spec.name << " -o name); do kubectl logs $p; done > "
        << spec.name << ".logs\n"
        << "#   podium sweep collect " << spec.name << ".logs --results " << spec.name << "-results\n";
  else
    out << "Results go to the PersistentVolumeClaim " << o.claim << " (ReadWriteMany when\n"
        << "# parallelism > 1) under " << results << "; merge them from a pod that mounts it.\n";
  out << "apiVersion: batch/v1\n"
      << "kind: Job\n"
      << "metadata:\n"
      << "  name: podium-sweep-" << spec.name << "\n"
      << "  labels:\n"
      << "    podium.dev/sweep: " << spec.name << "\n"
      << "spec:\n"
      << "  completionMode: Indexed\n"
      << "  completions: " << n << "\n"
      << "  parallelism: " << o.parallelism << "\n"
      << "  backoffLimit: " << o.backoff_limit << "\n"
      << "  template:\n"
      << "    metadata:\n"
      << "      labels:\n"
      << "        podium.dev/sweep: " << spec.name << "\n"
      << "    spec:\n"
      << "      restartPolicy: Never\n"
      << "      containers:\n"
      << "        - name: task\n"
      << "          image: " << yq(o.image) << "\n"
      << "          workingDir: " << yq(o.workdir) << "\n"
      << "          command: [\"podium\"]\n"
      << "          args: [\"sweep\", \"task\", " << yq(o.spec)
      << ", \"--index-from\", \"JOB_COMPLETION_INDEX\", \"--results\", " << yq(results)
      << (o.claim.empty() ? ", \"--print-results\"" : "") << "]\n"
      << "          resources:\n"
      << "            requests: {cpu: " << yq(o.cpu) << ", memory: " << yq(o.memory) << "}\n"
      << "            limits: {cpu: " << yq(o.cpu) << ", memory: " << yq(o.memory) << "}\n"
      << "          volumeMounts:\n"
      << "            - name: results\n"
      << "              mountPath: /results\n"
      << "      volumes:\n"
      << "        - name: results\n";
  if (o.claim.empty()) out << "          emptyDir: {}\n";
  else out << "          persistentVolumeClaim:\n            claimName: " << yq(o.claim) << "\n";
}

}  // namespace podium::sweep
