#include "common/inventory/inventory_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace netshard {

bool PathExists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

bool IsFolder(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string FolderOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string BaseNameOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string FindBeside(const std::string& folder, const std::string& name,
                       const std::vector<std::string>& extensions) {
  for (const std::string& extension : extensions) {
    std::string path = folder + "/" + name + extension;
    if (PathExists(path) && !IsFolder(path)) return path;
  }
  return "";
}

std::vector<std::pair<std::string, bool>> EntriesIn(const std::string& folder) {
  std::vector<std::pair<std::string, bool>> entries;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    entries.emplace_back(entry.path().string(), entry.is_directory(error));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace netshard
