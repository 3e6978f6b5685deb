#include "cases/stats_export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cases/stats.h"

namespace khien::cases {

std::string DimensionLabelVi(const std::string& by) {
  if (by == "core_type") return "Loại bạo lực (GBVIMS)";
  if (by == "sex") return "Giới tính";
  if (by == "age_group") return "Nhóm tuổi";
  if (by == "ethnicity") return "Dân tộc";
  if (by == "commune") return "Xã/phường";
  if (by == "context") return "Bối cảnh";
  if (by == "referral_status") return "Kết quả chuyển gửi";
  return by;
}

Result<std::string> StatsXlsx(const Stats& s, const StatsQuery& q) {
  std::string path = (std::filesystem::temp_directory_path() / "khien-case-stats-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return Error::Internal("cannot create a temporary file for the XLSX export");
  close(fd);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) {
    std::filesystem::remove(path);
    return Error::Internal("libxlsxwriter could not create a workbook");
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Thống kê");
  // Every text cell is a string cell, never a formula. Keys are vocabulary ids and org codes.
  worksheet_write_string(ws, 0, 0, "Đơn vị", bold);
  worksheet_write_string(ws, 0, 1, s.org.c_str(), nullptr);
  worksheet_write_string(ws, 1, 0, "Từ ngày", bold);
  worksheet_write_string(ws, 1, 1, q.from.value_or("").c_str(), nullptr);
  worksheet_write_string(ws, 2, 0, "Đến ngày", bold);
  worksheet_write_string(ws, 2, 1, q.to.value_or("").c_str(), nullptr);
  worksheet_write_string(ws, 3, 0, "Ghi chú", bold);
  worksheet_write_string(ws, 3, 1,
                         s.suppression_applied ? "Ô dưới 5 được ẩn là \"<5\" để không nhận diện được ai."
                                               : "Cấp tỉnh: không ẩn ô.",
                         nullptr);
  const lxw_row_t header = 5;
  worksheet_write_string(ws, header, 0, DimensionLabelVi(s.by).c_str(), bold);
  worksheet_write_string(ws, header, 1, "Số vụ việc", bold);
  worksheet_set_column(ws, 0, 0, 28, nullptr);
  worksheet_set_column(ws, 1, 1, 14, nullptr);
  lxw_row_t row = header + 1;
  auto put = [&](const StatsCell& cell, const std::string& label, lxw_format* format) {
    worksheet_write_string(ws, row, 0, label.c_str(), format);
    if (cell.suppressed) {
      worksheet_write_string(ws, row, 1, CellText(cell).c_str(), format);
    } else {
      worksheet_write_number(ws, row, 1, static_cast<double>(cell.count), format);
    }
    ++row;
  };
  for (const StatsCell& cell : s.cells) put(cell, cell.key, nullptr);
  put(s.total, "Tổng", bold);
  const lxw_error err = workbook_close(wb);
  std::string bytes;
  if (err == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  std::filesystem::remove(path);
  if (err != LXW_NO_ERROR) return Error::Internal(std::string("libxlsxwriter: ") + lxw_strerror(err));
  return bytes;
}

}  // namespace khien::cases
