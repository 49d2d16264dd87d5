CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `api_keys_user` ON `api_keys` (`user_id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`org_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer,
	`headers` text,
	`body` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idempotency_org_key` ON `idempotency_keys` (`org_id`,`key`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`legal_name` text NOT NULL,
	`address` text NOT NULL,
	`iec` text,
	`gstin` text,
	`ad_code` text,
	`base_currency` text DEFAULT 'INR' NOT NULL,
	`bank_details` text,
	`lut` text,
	`claims_rodtep` integer DEFAULT false NOT NULL,
	`signatory` text,
	`logo` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`created_at` text NOT NULL,
	`disabled_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_org_email` ON `users` (`org_id`,lower("email"));--> statement-breakpoint
CREATE TABLE `parties` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`roles` text NOT NULL,
	`address` text NOT NULL,
	`country` text NOT NULL,
	`tax_ids` text NOT NULL,
	`contacts` text NOT NULL,
	`notes` text,
	`verified_at` text,
	`verified_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `parties_org_id` ON `parties` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `parties_org_country` ON `parties` (`org_id`,`country`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`sku` text NOT NULL,
	`description` text NOT NULL,
	`hs_code` text NOT NULL,
	`unit` text NOT NULL,
	`net_weight_kg` text NOT NULL,
	`gross_weight_kg` text NOT NULL,
	`origin_country` text NOT NULL,
	`package_type` text DEFAULT 'CTN' NOT NULL,
	`units_per_package` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_org_sku` ON `products` (`org_id`,lower("sku"));--> statement-breakpoint
CREATE INDEX `products_org_id` ON `products` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`product_id` text NOT NULL,
	`description` text NOT NULL,
	`hs_code` text NOT NULL,
	`quantity` text NOT NULL,
	`unit` text NOT NULL,
	`unit_price` text NOT NULL,
	`discount_percent` text NOT NULL,
	`amount_minor` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_lines_order` ON `order_lines` (`order_id`,`line_no`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`reference` text NOT NULL,
	`buyer_po` text,
	`buyer_id` text NOT NULL,
	`consignee_id` text NOT NULL,
	`notify_party_id` text,
	`port_of_loading` text NOT NULL,
	`port_of_discharge` text NOT NULL,
	`destination_country` text NOT NULL,
	`incoterm` text NOT NULL,
	`incoterm_place` text NOT NULL,
	`transport_mode` text NOT NULL,
	`payment_terms` text NOT NULL,
	`currency` text NOT NULL,
	`requested_ship_date` text,
	`remarks` text,
	`status` text NOT NULL,
	`total_minor` integer NOT NULL,
	`line_count` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`buyer_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consignee_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`notify_party_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_org_reference` ON `orders` (`org_id`,lower("reference"));--> statement-breakpoint
CREATE INDEX `orders_org_id` ON `orders` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `orders_org_status` ON `orders` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `orders_org_buyer` ON `orders` (`org_id`,`buyer_id`,`id`);--> statement-breakpoint
CREATE INDEX `orders_org_destination` ON `orders` (`org_id`,`destination_country`,`id`);--> statement-breakpoint
CREATE INDEX `orders_org_ship_date` ON `orders` (`org_id`,`requested_ship_date`,`status`,`buyer_id`,`destination_country`,`id`);--> statement-breakpoint
CREATE INDEX `orders_org_created` ON `orders` (`org_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `shipment_allocations` (
	`shipment_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`quantity` text NOT NULL,
	PRIMARY KEY(`shipment_id`, `order_line_id`),
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `allocations_line` ON `shipment_allocations` (`order_line_id`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`seq` integer NOT NULL,
	`reference` text NOT NULL,
	`consignee_id` text NOT NULL,
	`destination_country` text NOT NULL,
	`port_of_loading` text NOT NULL,
	`port_of_discharge` text NOT NULL,
	`transport_mode` text NOT NULL,
	`planned_ship_date` text,
	`planned_arrival_date` text,
	`shipped_at` text,
	`delivered_at` text,
	`status` text NOT NULL,
	`notes` text,
	`marks` text,
	`wood_packaging` integer DEFAULT false NOT NULL,
	`vessel` text,
	`voyage` text,
	`bl_number` text,
	`bl_date` text,
	`references` text DEFAULT '{}' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consignee_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shipments_order` ON `shipments` (`order_id`,`seq`);--> statement-breakpoint
CREATE INDEX `shipments_org_id` ON `shipments` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `shipments_org_status` ON `shipments` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`actor_id` text,
	`at` text NOT NULL,
	`before` text,
	`after` text,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `audit_order` ON `audit_events` (`org_id`,`order_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_events` (`org_id`,`entity_id`,`id`);