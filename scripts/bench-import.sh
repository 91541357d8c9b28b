#!/usr/bin/env bash
# Bulk import benchmark: a generated file of ROWS rows (default 100,000) of KIND (vacancies, the
# default; jkp: a BPJS list of JKP recipients; job-seekers: the Dinas's own register, half of
# the rows with a past AK/I card) imported with
# `sibuser import` on a release build, timed with peak memory (`/usr/bin/time -v`): the check
# alone (--dry-run), the check and the write, and the same file again (every row already
# there: nothing changes). docs/benchmarks.md records the method and the results.
#
#   scripts/bench-import.sh [sqlite|postgres]
#   ROWS=10000 scripts/bench-import.sh postgres
#   KIND=jkp scripts/bench-import.sh sqlite
#   KIND=job-seekers ROWS=10000 scripts/bench-import.sh postgres
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
ROWS=${ROWS:-100000}
KIND=${KIND:-vacancies}
case "$KIND" in vacancies|jkp|job-seekers) ;; *) echo "KIND must be vacancies, jkp or job-seekers" >&2; exit 2 ;; esac

if [ -n "${SIBUSER_BIN:-}" ]; then
  bin=$SIBUSER_BIN
else
  cargo build --release --locked -q
  bin=target/release/sibuser
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case "$BACKEND" in
  sqlite)
    export DATABASE_URL="sqlite://$work/bench.db"
    query() { sqlite3 "$work/bench.db" "$1"; }
    ;;
  postgres)
    eval "$(scripts/dev-postgres.sh --env)"
    db="sibuser_import_bench_$$"
    psql "$SIBUSER_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="${SIBUSER_TEST_POSTGRES_URL%/*}/$db"
    query() { psql "$DATABASE_URL" -qAtc "$1"; }
    trap 'psql "$SIBUSER_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$work"' EXIT
    ;;
  *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
export SIBUSER_DATA_DIR="$work/data" SIBUSER_LOG=warn

$bin seed-demo --scale small >/dev/null
query "SELECT nib FROM companies WHERE verification_status = 'verified' AND nib IS NOT NULL" >"$work/nibs.txt"

if [ "$KIND" = vacancies ]; then
# ROWS vacancies over the verified companies, closing within the year, as a semicolon CSV
# with a BOM (what Excel saves in an Indonesian locale).
python3 - "$work/nibs.txt" "$work/vacancies.csv" "$ROWS" <<'EOF'
import datetime, sys
nibs = [l.strip() for l in open(sys.argv[1]) if l.strip()]
rows = int(sys.argv[3])
closes = (datetime.date.today() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
titles = [("5230", "Kasir"), ("4110", "Staf administrasi"), ("9112", "Petugas kebersihan")]
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    f.write("id_eksternal;nib;judul;kode_kbji;deskripsi;persyaratan;pendidikan_minimal;"
            "jenis_hubungan_kerja;kelurahan;kuota_bebas;upah_minimum;upah_maksimum;tanggal_tutup\r\n")
    for i in range(rows):
        code, title = titles[i % len(titles)]
        f.write(f"B-{i:06d};{nibs[i % len(nibs)]};{title} {i};{code};"
                f"Lowongan {title.lower()} nomor {i} untuk toko dan kantor kami di Binjai.;"
                f"Jujur, teliti, dan dapat bekerja sama.;SMA;pkwt;12.75.02.1006;{1 + i % 3};"
                f"3000000;3500000;{closes}\r\n")
EOF
echo "$ROWS rows, $(du -h "$work/vacancies.csv" | cut -f1) ($BACKEND, $(wc -l <"$work/nibs.txt") companies)"

file=$work/vacancies.csv
elif [ "$KIND" = job-seekers ]; then
# ROWS residents with valid NIKs and their own addresses; every other one with an AK/I card
# issued this year (active), numbered from 500,000 so as not to meet the demo's cards.
python3 - "$work/seekers.csv" "$ROWS" <<'EOF'
import datetime, sys
rows = int(sys.argv[2])
year = datetime.date.today().year
with open(sys.argv[1], "w", encoding="utf-8-sig", newline="") as f:
    f.write("nik;nama;email;tanggal_lahir;kelurahan;pendidikan;kode_kbji_dicari;"
            "nomor_ak1;tanggal_terbit_ak1;status_ak1\r\n")
    for i in range(rows):
        day, month, yy = 1 + i % 28, 1 + (i // 28) % 12, 70 + i % 30
        female = i % 2 == 1
        nik = f"1275{1 + i % 5:02d}{day + (40 if female else 0):02d}{month:02d}{yy:02d}{4001 + i // 20:04d}"
        card = f"1275-{year}-{500000 + i:06d};01/01/{year};aktif" if i % 2 == 0 else ";;"
        f.write(f"{nik};Warga {i};warga{i}@contoh.example;{day:02d}/{month:02d}/19{yy};"
                f"12.75.02.1006;SMA;5230;{card}\r\n")
EOF
echo "$ROWS rows, $(du -h "$work/seekers.csv" | cut -f1) ($BACKEND)"
file=$work/seekers.csv
else
# ROWS recipients with valid NIKs (a Binjai kecamatan, birth date and sex agreeing), as BPJS
# sends them: a semicolon CSV with a BOM, dates as dd/mm/yyyy, reasons in words.
python3 - "$work/jkp.csv" "$ROWS" <<'EOF'
import sys
rows = int(sys.argv[2])
reasons = ["efisiensi", "perusahaan tutup", "pkwt berakhir", "pailit"]
with open(sys.argv[1], "w", encoding="utf-8-sig", newline="") as f:
    f.write("nik;nama;jenis_kelamin;tanggal_lahir;pemberi_kerja;tanggal_phk;alasan_phk\r\n")
    for i in range(rows):
        day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 70 + i % 30
        female = i % 2 == 1
        nik = f"1275{1 + i % 5:02d}{day + (40 if female else 0):02d}{month:02d}{year:02d}{5000 + i // 20:04d}"
        f.write(f"{nik};Pekerja {i};{'P' if female else 'L'};{day:02d}/{month:02d}/19{year};"
                f"PT Contoh {i % 50};{1 + i % 28:02d}/0{1 + i % 9}/2026;{reasons[i % 4]}\r\n")
EOF
echo "$ROWS rows, $(du -h "$work/jkp.csv" | cut -f1) ($BACKEND)"
file=$work/jkp.csv
fi

timed() { # label, then the command: elapsed seconds and peak memory
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}' "$work/time.txt")
  printf '%-34s %10s %10s   %s\n' "$label" "$wall" "$rss" "$(tail -n 1 "$work/out.txt")"
}

printf '%-34s %10s %10s\n' "step" "elapsed" "peak RSS"
timed "check only (--dry-run)" $bin import "$KIND" "$file" --dry-run --lang en
timed "check and write" $bin import "$KIND" "$file" --lang en
timed "the same file again" $bin import "$KIND" "$file" --lang en
if [ "$KIND" = vacancies ]; then
  echo "vacancies stored: $(query "SELECT count(*) FROM vacancies WHERE external_ref IS NOT NULL")"
elif [ "$KIND" = job-seekers ]; then
  echo "profiles stored: $(query "SELECT count(*) FROM job_seekers"), cards: $(query "SELECT count(*) FROM ak1_cards")"
else
  echo "JKP recipients stored: $(query "SELECT count(*) FROM jkp_recipients"), people: $(query "SELECT count(*) FROM people")"
fi
