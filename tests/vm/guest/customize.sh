#!/bin/sh
# mmdebstrap --customize-hook for the VM test-bed image; $1 is the root directory (runs on the host).
set -eu
R=$1
G=$(dirname "$(readlink -f "$0")")
echo berth-vm > "$R/etc/hostname"
printf '127.0.0.1 localhost berth-vm\n' > "$R/etc/hosts"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$R/etc/fstab"
# Root logs in on the serial console without a password (a keep-running guest for debugging).
chroot "$R" passwd -d root
mkdir -p "$R/etc/systemd/system/serial-getty@ttyS0.service.d"
cat > "$R/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'EOT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM
EOT
install -m 0755 "$G/berth-vm-job" "$R/usr/local/sbin/berth-vm-job"
install -m 0644 "$G/berth-vm-job.service" "$R/etc/systemd/system/berth-vm-job.service"
chroot "$R" systemctl enable berth-vm-job.service
# Periodic maintenance only costs boot time in a throw-away guest.
chroot "$R" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
        fstrim.timer systemd-tmpfiles-clean.timer
# The kernel's enforcing=0|1 (chosen per run) overrides this.
sed -i 's/^SELINUX=.*/SELINUX=permissive/' "$R/etc/selinux/config"
