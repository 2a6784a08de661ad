package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/storage"
)

const discoverUsage = "discover [--timeout 3s] [--to HOST[:PORT] ...] [--no-multicast] [--add --user USER --password-env VAR] [--config FILE]"

// discoverCmd is `camwall discover`: it probes for ONVIF cameras (only
// when run), lists each that answered, and with --add reads their streams
// with the credentials given and saves them as cameras.
func discoverCmd(args []string) int {
	fl := flagSet("discover", discoverUsage)
	timeout := fl.Duration("timeout", 3*time.Second, "how long to wait for answers (1s to 1m)")
	var to stringList
	fl.Var(&to, "to", "also probe this `HOST[:PORT]` directly (port 3702 by default), for a camera on another subnet; repeatable")
	noMulticast := fl.Bool("no-multicast", false, "probe only the --to addresses")
	add := fl.Bool("add", false, "read each camera's streams and add it to the configuration")
	user := fl.String("user", "", "with --add: the cameras' user")
	passwordEnv := fl.String("password-env", "", "with --add: the environment `VARIABLE` that holds the cameras' password (saved by name, not value)")
	configPath := configFlag(fl)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	usageErr := func(msg string) int { fmt.Fprintln(os.Stderr, "camwall discover:", msg); return 2 }
	switch {
	case fl.NArg() > 0:
		fl.Usage()
		return 2
	case *timeout < time.Second || *timeout > time.Minute:
		return usageErr("--timeout must be from 1s to 1m")
	case *noMulticast && len(to) == 0:
		return usageErr("--no-multicast needs at least one --to")
	case !*add && (*user != "" || *passwordEnv != ""):
		return usageErr("--user and --password-env go with --add")
	}
	password := ""
	if *passwordEnv != "" {
		v, ok := os.LookupEnv(*passwordEnv)
		if !ok || v == "" {
			return usageErr("the environment variable " + *passwordEnv + " named by --password-env is not set")
		}
		password = v
	}
	ctx, cancel := start(slog.LevelWarn)
	defer cancel()
	dctx, dcancel := context.WithTimeout(ctx, *timeout)
	defer dcancel()
	found, err := onvif.Discover(dctx, onvif.DiscoverConfig{Multicast: !*noMulticast, To: to, Knock: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "camwall discover:", err)
		return 1
	}
	if len(found) == 0 {
		fmt.Fprintf(os.Stderr, "camwall discover: no ONVIF camera answered within %s; a camera on another subnet needs --to ADDRESS\n", *timeout)
		return 1
	}
	var path string
	var cfg *storage.Config
	if *add {
		if path, cfg, err = LoadConfig(*configPath); err != nil {
			fmt.Fprintln(os.Stderr, "camwall discover:", err)
			return 1
		}
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tMODEL\tADDRESS\tLOGIN")
	added, failed := 0, 0
	for _, f := range found {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", orDash(f.Name), orDash(f.Model), f.Address, login(f))
		if !*add {
			continue
		}
		cam, err := addFound(ctx, cfg, f, *user, password, *passwordEnv)
		if err != nil {
			fmt.Fprintf(w, "\t\t\t✗ %v\n", err)
			failed++
			continue
		}
		fmt.Fprintf(w, "\t\t\tadded as %q: %s\n", cam.Name, cam.URL)
		added++
	}
	w.Flush()
	if added > 0 {
		if err := storage.SaveConfig(path, cfg); err != nil {
			fmt.Fprintln(os.Stderr, "camwall discover:", err)
			return 1
		}
		fmt.Println("saved", path)
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// addFound reads a found camera's profiles and appends it to cfg, unless a
// camera there already names the device.
func addFound(ctx context.Context, cfg *storage.Config, f onvif.Found, user, password, passwordEnv string) (storage.Camera, error) {
	for _, c := range cfg.Cameras {
		if t, err := onvif.ParseURL(c.URL); err == nil && t.XAddr == f.XAddr {
			return storage.Camera{}, fmt.Errorf("already configured as %q", c.Name)
		}
	}
	ictx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cam, err := onvif.Inspect(ictx, onvif.Config{XAddr: f.XAddr, User: user, Password: password})
	if err != nil {
		return storage.Camera{}, err
	}
	c := storage.Camera{Name: cfg.UniqueName(onvif.CameraName(f, cam.Info), -1), URL: cam.URL, Substream: cam.Substream,
		User: user, PasswordEnv: passwordEnv}
	next := cfg.Clone()
	next.Cameras = append(next.Cameras, c)
	if err := next.Validate(); err != nil {
		return storage.Camera{}, err
	}
	*cfg = next
	return c, nil
}

func login(f onvif.Found) string {
	switch {
	case !f.Knocked:
		return "? (" + f.KnockError + ")"
	case f.NeedsPassword:
		return "needs a password"
	}
	return "open"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
