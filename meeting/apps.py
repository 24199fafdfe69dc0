from django.apps import AppConfig


class MeetingConfig(AppConfig):
    name = "meeting"
    verbose_name = "Meeting room"

    def ready(self):
        from meeting.room import ROOM_KINDS
        from reviews import events

        # Talk in the room comes many a minute and changes nobody's list of reviews: only
        # those watching the review (its page, its room) hear it.
        events.only_for_watchers(*ROOM_KINDS)
