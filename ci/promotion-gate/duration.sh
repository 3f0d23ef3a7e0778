# Sourced by promotion-gate.sh and gate-promotions.sh: durations as the options take them.

# Prints the seconds of "<n>s", "<n>m", "<n>h" or "<n>d" (n > 0); fails on anything else.
seconds_of() {
  [[ "$1" =~ ^([1-9][0-9]{0,6})([smhd])$ ]] || return 1
  case "${BASH_REMATCH[2]}" in
    s) echo "${BASH_REMATCH[1]}" ;;
    m) echo $((BASH_REMATCH[1] * 60)) ;;
    h) echo $((BASH_REMATCH[1] * 3600)) ;;
    d) echo $((BASH_REMATCH[1] * 86400)) ;;
  esac
}

# Seconds in the largest two units, e.g. 1d2h, 2h5m, 12m, 40s.
human_duration() {
  local s="$1"
  if [ "$s" -ge 86400 ]; then echo "$((s / 86400))d$((s % 86400 / 3600))h"
  elif [ "$s" -ge 3600 ]; then echo "$((s / 3600))h$((s % 3600 / 60))m"
  elif [ "$s" -ge 60 ]; then echo "$((s / 60))m"
  else echo "${s}s"
  fi
}
