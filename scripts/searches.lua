-- Sixteen realistic vacancy searches, a keyword and three filters each (kecamatan,
-- education, type, group, wage, posted within, disability; some sorted by closing date or
-- wage), so that no single query stays hot. Read by bench-search.lua and soak.lua (both
-- run by wrk from the repository's root).
return {
  "/lowongan?q=staf&kecamatan=12.75.04&pendidikan=5&jenis=pkwt",
  "/lowongan?q=admin&kecamatan=12.75.01&pendidikan=8&sejak=30",
  "/lowongan?q=operator&golongan=8&jenis=pkwt&kecamatan=12.75.03",
  "/lowongan?q=kasir&pendidikan=4&kecamatan=12.75.02&urut=upah-tertinggi",
  "/lowongan?q=teknisi&golongan=3&pendidikan=8&sejak=30",
  "/lowongan?q=pengemudi&jenis=pkwt&kecamatan=12.75.05&upah=3000000",
  "/lowongan?q=perawat&golongan=2&pendidikan=10&urut=segera-tutup",
  "/lowongan?q=pelayan&pendidikan=4&jenis=part_time&kecamatan=12.75.04",
  "/lowongan?q=gudang&kecamatan=12.75.03&disabilitas=1&jenis=pkwt",
  "/lowongan?q=pelanggan&golongan=5&sejak=30&pendidikan=5",
  "/lowongan?q=mesin&golongan=7&kecamatan=12.75.01&jenis=daily",
  "/lowongan?q=akuntansi&pendidikan=10&upah=4000000&kecamatan=12.75.02",
  "/lowongan?q=tukang&golongan=7&pendidikan=3&sejak=30",
  "/lowongan?q=binjai&kecamatan=12.75.05&pendidikan=5&urut=segera-tutup",
  "/lowongan?q=data&golongan=4&jenis=pkwtt&pendidikan=5",
  "/lowongan?q=microsoft+office&kecamatan=12.75.04&jenis=pkwt&sejak=30",
}
