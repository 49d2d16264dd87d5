CREATE TABLE `document_blobs` (
	`key` text PRIMARY KEY NOT NULL,
	`content` blob NOT NULL,
	`content_type` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `document_counters` (
	`org_id` text NOT NULL,
	`series` text NOT NULL,
	`financial_year` text NOT NULL,
	`last` integer NOT NULL,
	PRIMARY KEY(`org_id`, `series`, `financial_year`)
);
--> statement-breakpoint
CREATE TABLE `document_numbers` (
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text NOT NULL,
	`series` text NOT NULL,
	`number` text NOT NULL,
	PRIMARY KEY(`order_id`, `shipment_id`, `series`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_numbers_org_number` ON `document_numbers` (`org_id`,`number`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shipment_id` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`format` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`number` text NOT NULL,
	`document_date` text NOT NULL,
	`snapshot` text NOT NULL,
	`facts_hash` text NOT NULL,
	`content_hash` text NOT NULL,
	`storage_key` text NOT NULL,
	`size` integer NOT NULL,
	`findings` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`approved_at` text,
	`approved_by` text,
	`finalized_at` text,
	`finalized_by` text,
	`superseded_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_identity_version` ON `documents` (`order_id`,`shipment_id`,`kind`,`format`,`version`);--> statement-breakpoint
CREATE INDEX `documents_org_order` ON `documents` (`org_id`,`order_id`,`id`);