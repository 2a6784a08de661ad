void camwall_set_log_callback(void);
