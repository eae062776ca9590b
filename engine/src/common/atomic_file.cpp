#include "podium/common/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace podium {
namespace {

// The temporary file being written, for the signal handler: SIGINT / SIGTERM / SIGHUP
// while it exists remove it, then the signal takes its default course.
char g_temp_path[4096];
volatile sig_atomic_t g_temp_live = 0;
constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_live) ::unlink(g_temp_path);
  g_temp_live = 0;
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Installs the handler for the lifetime of one write, restoring the previous ones after.
class TempGuard {
 public:
  explicit TempGuard(const std::string& temp) {
    if (temp.size() < sizeof g_temp_path) {
      std::memcpy(g_temp_path, temp.c_str(), temp.size() + 1);
      g_temp_live = 1;
    }
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &sa, &previous_[i]);
  }
  ~TempGuard() {
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
    g_temp_live = 0;
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;

 private:
  std::array<struct sigaction, 3> previous_{};
};

std::string errno_text() { return std::strerror(errno); }

// Opens `file` with `mode`, writes, and checks every step (a full disk shows at flush or
// close); errors name `path`, what the user gave. Used for the temporary file and for
// devices, FIFOs and the like, which are written in place (a rename cannot replace them).
void write_checked(const std::string& path, const std::filesystem::path& file, std::ios::openmode mode,
                   const std::function<void(std::ostream&)>& write) {
  std::ofstream out(file, mode);
  if (!out) throw std::runtime_error(path + ": cannot open for writing: " + errno_text());
  write(out);
  errno = 0;
  out.flush();
  if (!out) throw std::runtime_error(path + ": write failed" + (errno != 0 ? ": " + errno_text() : std::string()));
  out.close();
  if (out.fail()) throw std::runtime_error(path + ": write failed" + (errno != 0 ? ": " + errno_text() : std::string()));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  // A symlink is written through: the new content replaces the file it points to, and
  // the link stays a link.
  fs::path target = path;
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
    const fs::path link = fs::read_symlink(target, ec);
    if (ec) break;
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
  const fs::file_status status = fs::status(target, ec);
  if (fs::is_directory(status)) throw std::runtime_error(path + ": is a directory");
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    write_checked(path, target, std::ios::binary, write);
    return;
  }

  const std::string temp = target.string() + ".tmp." + std::to_string(::getpid());
  try {
    TempGuard guard(temp);
    write_checked(path, temp, std::ios::binary | std::ios::trunc, write);
    fs::rename(temp, target, ec);
    if (ec) throw std::runtime_error(path + ": cannot replace the file: " + ec.message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
}

}  // namespace podium
