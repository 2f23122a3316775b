#include "common/data_dir.h"

#include <filesystem>
#include <system_error>

namespace netshard {

std::string DataDirFor(const std::string& executable) {
  std::error_code error;
  std::filesystem::path bin = std::filesystem::path(executable).parent_path();
  if (bin.filename() != "bin") return "";
  std::filesystem::path data = bin.parent_path() / "share" / "netshard";
  if (!std::filesystem::is_directory(data, error)) return "";
  return data.string();
}

std::string InstalledDataDir() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? "" : DataDirFor(self.string());
}

}  // namespace netshard
