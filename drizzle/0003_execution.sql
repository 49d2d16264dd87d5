CREATE TABLE `booking_revisions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`booking_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`version` integer NOT NULL,
	`change` text NOT NULL,
	`snapshot` text NOT NULL,
	`changed_by` text,
	`changed_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `booking_revisions_booking` ON `booking_revisions` (`booking_id`,`version`);--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`forwarder_id` text,
	`carrier` text,
	`booking_number` text,
	`status` text NOT NULL,
	`vessel` text,
	`voyage` text,
	`equipment` text DEFAULT '[]' NOT NULL,
	`port_of_loading` text,
	`port_of_discharge` text,
	`cutoff_documents_at` text,
	`cutoff_vgm_at` text,
	`cutoff_cargo_at` text,
	`etd` text,
	`eta` text,
	`time_zone` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`forwarder_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_shipment` ON `bookings` (`shipment_id`);--> statement-breakpoint
CREATE INDEX `bookings_org_cutoff` ON `bookings` (`org_id`,`cutoff_documents_at`);--> statement-breakpoint
CREATE TABLE `exceptions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`subject` text NOT NULL,
	`order_id` text,
	`shipment_id` text,
	`severity` text NOT NULL,
	`owner_role` text NOT NULL,
	`title` text NOT NULL,
	`detail` text NOT NULL,
	`due_at` text,
	`state` text NOT NULL,
	`facts` text DEFAULT '{}' NOT NULL,
	`raised_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`acknowledged_at` text,
	`acknowledged_by` text,
	`resolved_at` text,
	`resolved_by` text,
	`resolution` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exceptions_rule_subject` ON `exceptions` (`org_id`,`rule_id`,`subject`);--> statement-breakpoint
CREATE INDEX `exceptions_org_state` ON `exceptions` (`org_id`,`state`,`severity`);--> statement-breakpoint
CREATE INDEX `exceptions_shipment` ON `exceptions` (`shipment_id`);--> statement-breakpoint
CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text,
	`kind` text NOT NULL,
	`agency` text,
	`inspector` text,
	`scheduled_at` text,
	`inspected_at` text,
	`result` text NOT NULL,
	`report_document_id` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inspections_order` ON `inspections` (`order_id`);--> statement-breakpoint
CREATE INDEX `inspections_shipment` ON `inspections` (`shipment_id`);--> statement-breakpoint
CREATE TABLE `milestones` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`seq` integer NOT NULL,
	`source` text NOT NULL,
	`planned_at` text,
	`actual_at` text,
	`time_zone` text,
	`recorded_by` text,
	`recorded_at` text,
	`document_id` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `milestones_shipment_code` ON `milestones` (`shipment_id`,`code`);--> statement-breakpoint
CREATE INDEX `milestones_org_planned` ON `milestones` (`org_id`,`planned_at`);--> statement-breakpoint
CREATE TABLE `production_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`quantity` text NOT NULL,
	`status` text NOT NULL,
	`planned_start_at` text,
	`planned_completion_at` text,
	`actual_completion_at` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `production_jobs_order` ON `production_jobs` (`order_id`);--> statement-breakpoint
CREATE INDEX `production_jobs_org_planned` ON `production_jobs` (`org_id`,`planned_completion_at`);--> statement-breakpoint
CREATE TABLE `shipment_parties` (
	`shipment_id` text NOT NULL,
	`role` text NOT NULL,
	`party_id` text NOT NULL,
	`org_id` text NOT NULL,
	PRIMARY KEY(`shipment_id`, `role`),
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`party_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shipment_parties_party` ON `shipment_parties` (`org_id`,`party_id`);--> statement-breakpoint
CREATE TABLE `stock_levels` (
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`location_id` text NOT NULL,
	`on_hand_milli` integer DEFAULT 0 NOT NULL,
	`reserved_milli` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`product_id`, `location_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `stock_locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_levels_org` ON `stock_levels` (`org_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `stock_locations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stock_locations_org_code` ON `stock_locations` (`org_id`,`code`);--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`product_id` text NOT NULL,
	`location_id` text NOT NULL,
	`kind` text NOT NULL,
	`quantity_milli` integer NOT NULL,
	`order_id` text,
	`order_line_id` text,
	`shipment_id` text,
	`note` text,
	`at` text NOT NULL,
	`by` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_movements_product` ON `stock_movements` (`org_id`,`product_id`,`at`);--> statement-breakpoint
CREATE INDEX `stock_movements_order` ON `stock_movements` (`order_id`);--> statement-breakpoint
CREATE TABLE `stock_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`product_id` text NOT NULL,
	`location_id` text NOT NULL,
	`quantity_milli` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_reservations_line` ON `stock_reservations` (`order_line_id`);--> statement-breakpoint
CREATE INDEX `stock_reservations_order` ON `stock_reservations` (`order_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `party_id` text;