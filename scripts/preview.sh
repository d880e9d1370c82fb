#!/usr/bin/env bash
# Look at a DOCX the way a reader would: LibreOffice -> PDF -> PNG pages.
#
#   scripts/preview.sh REPLY.docx OUTDIR [DPI]
#
# Writes OUTDIR/<name>.pdf and OUTDIR/<name>-<page>.png (default 60 dpi). Chinese faces named in
# the document (宋体/黑体/楷体/仿宋 and SimSun/SimHei/KaiTi/FangSong) are mapped to free fonts
# through a private fontconfig file, so the pages show the intended differences between faces:
#   宋体 -> Noto Serif CJK SC, 黑体 -> Noto Sans CJK SC, 楷体 -> AR PL UKai CN, 仿宋 -> Noto Serif CJK SC (no free 仿宋 installed).
# Needs: soffice (libreoffice-writer-nogui), pdftoppm (poppler-utils), fonts-noto-cjk,
# fonts-arphic-ukai. Uses its own LibreOffice profile, so it runs beside another soffice.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 DOCX OUTDIR [DPI]" >&2
  exit 2
fi
docx=$1
out=$2
dpi=${3:-60}
[ -f "$docx" ] || { echo "$0: $docx: not found" >&2; exit 2; }
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed (apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai)" >&2; exit 2; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

alias_rule() {  # alias_rule FROM TO
  cat <<EOF
  <match target="pattern">
    <test qual="any" name="family"><string>$1</string></test>
    <edit name="family" mode="assign" binding="strong"><string>$2</string></edit>
  </match>
EOF
}
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
  echo '<fontconfig>'
  echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
  for f in 宋体 SimSun 新宋体 NSimSun; do alias_rule "$f" "Noto Serif CJK SC"; done
  for f in 黑体 SimHei 微软雅黑 "Microsoft YaHei"; do alias_rule "$f" "Noto Sans CJK SC"; done
  for f in 楷体 KaiTi 楷体_GB2312 KaiTi_GB2312; do alias_rule "$f" "AR PL UKai CN"; done
  for f in 仿宋 FangSong 仿宋_GB2312 FangSong_GB2312; do alias_rule "$f" "Noto Serif CJK SC"; done
  echo '</fontconfig>'
} > "$work/fonts.conf"
export FONTCONFIG_FILE="$work/fonts.conf"

name=$(basename "${docx%.*}")
soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null 2>&1
[ -f "$out/$name.pdf" ] || { echo "$0: LibreOffice did not produce $out/$name.pdf" >&2; exit 1; }
rm -f "$out/$name"-*.png
pdftoppm -png -r "$dpi" "$out/$name.pdf" "$out/$name"
pages=$(ls "$out/$name"-*.png | wc -l)
echo "$out/$name.pdf: $pages page(s); images $out/$name-*.png"
