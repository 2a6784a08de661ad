package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/storage"
)

const goproUsage = "gopro discover [--add] [--config FILE]"

// goproCmd is `camwall gopro discover`: it looks for GoPros on USB (only
// there, only when asked) and prints each as a camera entry; --add saves the
// new ones into the configuration.
func goproCmd(args []string) int {
	fl := flagSet("gopro", goproUsage)
	add := fl.Bool("add", false, "add the GoPros found to the configuration")
	configPath := configFlag(fl)
	if len(args) == 0 || args[0] != "discover" {
		fl.Usage()
		return 2
	}
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fl.Usage()
		return 2
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "camwall gopro:", err); return 1 }
	found, err := gopro.Discoverer{}.Discover(context.Background())
	if err != nil {
		return fail(err)
	}
	if len(found) == 0 {
		fmt.Fprintln(os.Stderr, "camwall gopro: no GoPro found on USB. Connect it with a USB-C data cable and switch it on;"+
			" over Wi-Fi, add gopro://10.5.5.9 (HERO9 and later) or gopro://10.5.5.9?mode=legacy (HERO4 to HERO7) instead")
		return 1
	}
	path, cfg, err := LoadConfig(*configPath)
	if err != nil {
		return fail(err)
	}
	added := 0
	for _, f := range found {
		urls := make([]string, 0, len(cfg.Cameras))
		for _, c := range cfg.Cameras {
			urls = append(urls, c.URL)
		}
		u := f.URL(gopro.FreeUDPPort(urls))
		state := gopro.StatusText(f.Status)
		switch {
		case gopro.Configured(urls, f.Address):
			fmt.Printf("%s\t%s\t%s, already configured\n", f.Name(), f.Address, state)
		case *add:
			cfg.Cameras = append(cfg.Cameras, storage.Camera{Name: cfg.UniqueName(f.Name(), -1), URL: u})
			added++
			fmt.Printf("%s\t%s\t%s, added\n", f.Name(), u, state)
		default:
			fmt.Printf("%s\t%s\t%s\n", f.Name(), u, state)
		}
	}
	if added > 0 {
		if err := storage.SaveConfig(path, cfg); err != nil {
			return fail(err)
		}
		fmt.Println("saved", path)
	}
	return 0
}
